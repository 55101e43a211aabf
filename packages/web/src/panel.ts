import type { SessionState } from './state.js';

/** A part of the session view: built once, then rendered from each new state. */
export interface Panel {
  element: HTMLElement;
  render(state: SessionState, previous: SessionState | null): void;
  /** Lets go of what outlives the DOM (observers, document listeners) when the view is left. */
  dispose?(): void;
}

/** What panels can ask the session to do. Each resolves once its reply is in the state. */
export interface Actions {
  /** Sends a warm shower; true once it is sent (or was already), false with a problem to show. */
  write(to: string, text: string): Promise<boolean>;
  openWrite(to: string): void;
  thank(id: string): void;
  reveal(): void;
  extend(moreSeconds: number): void;
  /** Opens the confirmation before ending. */
  confirmEnd(): void;
  end(): Promise<void>;
  joinToo(name: string): Promise<void>;
  save(): void;
  print(): void;
  presenter(): void;
  home(): void;
}
