import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli-shower',
    include: ['*.test.ts'],
  },
});
