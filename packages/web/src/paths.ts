// Where the page lives. Mounted under a prefix (`/ws/`), every asset, API call and history URL is
// relative to the page's own directory, never to the origin's root.
import { WarmshowerClient } from '@warmshower/client';

/** The page's directory: `http://host/` or `http://host/ws/`, without query or fragment. */
export const pageBase = (): string => new URL('.', location.href).href;

/** A client of the API this page was served with, with a token or none. */
export const clientFor = (token?: string | null): WarmshowerClient => new WarmshowerClient({ baseUrl: pageBase(), token });

/** Shows `?code=123456` (or the bare directory) in the address bar, without a reload. */
export function setUrl(code: string | null): void {
  const target = code ? `?code=${code}` : new URL('.', location.href).pathname;
  if (new URL(target, location.href).href !== location.href) history.replaceState(null, '', target);
}
