import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';

/**
 * Preloaded (`node -r`) into a program under profile: `--cpu-prof` writes nothing when Nest's
 * shutdown hook re-raises SIGTERM, so this runs the V8 profiler itself and writes the profile on
 * SIGTERM (before the service's own shutdown) or when a one-off program runs out of work.
 */
const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${path.basename(process.argv[1], '.js')}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.prependOnceListener('SIGTERM', write);
  process.once('beforeExit', write);
}
