import { join } from 'node:path';

/**
 * The folders of an adapter directory (docs/LEGACY-ADAPTER.md): CSV files dropped at its
 * top, moved to `done/` once published; deliveries written to `inbox/`; the state in
 * `.state/` (one file per direction, each written by one process).
 */
export const folders = (dir: string) => ({
  drop: dir,
  done: join(dir, 'done'),
  inbox: join(dir, 'inbox'),
  outboundState: join(dir, '.state', 'outbound.json'),
  inboundState: join(dir, '.state', 'inbound.json'),
});
