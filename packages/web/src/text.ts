// How times, counts and codes read on the page.
import type { Progress } from '@warmshower/core/protocol';

/** "1:02:03" or "4:05" until `expiresAt`. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/** The time left as a sentence for screen readers: "The session ends in about 42 minutes." */
export function describeRemaining(ms: number): string {
  const minutes = Math.round(ms / 60000);
  if (ms <= 0) return 'The session is ending.';
  if (minutes < 1) return 'The session ends in less than a minute.';
  if (minutes < 120) return `The session ends in about ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  return `The session ends in about ${Math.round(minutes / 60)} hours.`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "3 warm showers", "1 warm shower". */
export const showers = (n: number): string => `${n} warm shower${n === 1 ? '' : 's'}`;

/** The ended view's warning over what is kept: "This warm shower is…", "These 3 warm showers are…". */
export const onlyHereSentence = (n: number): string =>
  n === 1 ? 'This warm shower is only on this screen now.' : `These ${showers(n)} are only on this screen now.`;

/** The lifetimes the page offers, shortest first: all of them for a new session, up to two hours for Extend. */
export const durations: ReadonlyArray<readonly [seconds: number, label: string]> = [
  [900, '15 minutes'],
  [1800, '30 minutes'],
  [3600, '1 hour'],
  [7200, '2 hours'],
  [14400, '4 hours'],
  [86400, '1 day'],
];

/** A session code read digit by digit, as people will type it (for screen readers). */
export const spokenCode = (code: string): string => code.split('').join(' ');

/** The session's warm showers so far, as the host's card and the projector say it. */
export function progressSentence(progress: Progress | null | undefined): string {
  if (!progress) return '…';
  if (progress.possible === 0) return 'Warm showers can start once two people have joined.';
  return `${progress.sent} of ${showers(progress.possible)} sent`;
}
