import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { TopicDeclaration } from './domain/topics';

const TopicsFile = z.object({
  defaults: z.object({
    replicationFactor: z.number().int().min(1),
    minInsyncReplicas: z.number().int().min(1),
  }),
  countries: z.array(z.string()).min(1),
  topics: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z0-9._{}-]+$/, 'topic names use a-z, 0-9, . _ - and {country}'),
        partitions: z.number().int().min(1),
        config: z
          .record(z.string(), z.union([z.string(), z.number()]).transform(String))
          .default({}),
      }),
    )
    .min(1),
});

/** Reads and checks a topics declaration file (infra/topics.yaml). */
export function loadTopicDeclaration(file: string): TopicDeclaration {
  const result = TopicsFile.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${file} is not a valid topics declaration: ${problems}`);
  }
  return result.data;
}
