import type { ParticipantView } from '@warmshower/core/protocol';

/** "expires in 59 min", "expires in 2 h 5 min", "expires in 40 s" or "has expired". */
export function expiresIn(expiresAt: string, now: number = Date.now()): string {
  const seconds = Math.floor((Date.parse(expiresAt) - now) / 1000);
  if (!(seconds > 0)) return 'has expired';
  return `expires in ${duration(seconds)}`;
}

/** A number of seconds as a person says it: "40 s", "59 min", "2 h 5 min". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "1 warm shower", "2 warm showers". */
export const showers = (n: number): string => `${n} warm shower${n === 1 ? '' : 's'}`;

/** "1 participant", "3 participants". */
export const people = (n: number): string => `${n} participant${n === 1 ? '' : 's'}`;

/**
 * Text from other people, made safe for a terminal: control characters (which could move the
 * cursor or recolour the screen) and bidirectional overrides (which could reorder what is shown)
 * are dropped, and each line break becomes " ↵ " so that one event stays one line and a break is
 * not mistaken for a " / " that was written.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ↵ ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** Columns padded to their widest cell, the first row being the header. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The participants list as a table, marking the reader and whom they have written to. */
export function participantTable(participants: ParticipantView[], me?: { id: string; sentTo: string[] }): string {
  const rows = [['NAME', 'ID', 'ONLINE', ...(me ? ['YOU SENT'] : [])]];
  for (const p of participants) {
    const name = terminalSafe(p.displayName) + (p.id === me?.id ? ' (you)' : '');
    const sent = me ? [p.id === me.id ? '' : me.sentTo.includes(p.id) ? 'yes' : 'not yet'] : [];
    rows.push([name, p.id, p.online ? 'yes' : 'no', ...sent]);
  }
  return table(rows);
}

/** A time of day in the reader's time zone, "21:40". */
export const clockTime = (iso: string): string =>
  new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
