// @ts-check
/**
 * Entry of the node24-longrun template (of-watchdog's fprocess: `node index.js`): loads
 * function/handler.js, starts it (server.js), and exits 0 once it has stopped gracefully —
 * on SIGTERM / SIGINT (of-watchdog 0.11.5 forwards the pod's SIGTERM), or when of-watchdog
 * removes its lock file.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { settingsFromEnv, startFunction } from './server.js';

const modulePath = process.env.handler_module ?? './function/handler.js';
const handler = await import(pathToFileURL(resolve(modulePath)).href);
const fn = await startFunction(handler, settingsFromEnv(process.env));

for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
  process.once(signal, () => void fn.stop(`${signal} received`));
}
void fn.stopped.then(() => process.exit(0));
