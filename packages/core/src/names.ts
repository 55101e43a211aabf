import type { RandomSource } from './random.js';

const adjectives = [
  'Kind', 'Bright', 'Gentle', 'Brave', 'Calm', 'Cheerful', 'Clever', 'Curious', 'Generous', 'Glad',
  'Golden', 'Happy', 'Honest', 'Jolly', 'Lively', 'Lucky', 'Merry', 'Patient', 'Playful', 'Sunny',
  'Swift', 'Thoughtful', 'Warm', 'Wise', 'Witty', 'Zesty', 'Friendly', 'Hopeful', 'Radiant', 'Steady',
];
const animals = [
  'Otter', 'Panda', 'Falcon', 'Heron', 'Fox', 'Badger', 'Dolphin', 'Koala', 'Lynx', 'Owl',
  'Puffin', 'Quokka', 'Robin', 'Seal', 'Sparrow', 'Tiger', 'Turtle', 'Wombat', 'Wren', 'Yak',
  'Beaver', 'Crane', 'Hedgehog', 'Lark', 'Marten', 'Narwhal', 'Orca', 'Pelican', 'Raven', 'Squirrel',
];

/** A friendly name for someone who joins without one, such as "Sunny Otter". */
export function friendlyName(random: RandomSource, attempt = 0): string {
  const name = `${adjectives[random.int(adjectives.length)]} ${animals[random.int(animals.length)]}`;
  // After a few clashes in a big session, a number keeps generated names unique.
  return attempt < 3 ? name : `${name} ${random.int(1000)}`;
}
