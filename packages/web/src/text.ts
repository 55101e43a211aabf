// How times read on the page.

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
