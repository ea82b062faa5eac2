// Loaded before every test file (npm test: node --import ./test/setup.mjs): models go to a temporary
// directory unless a test names one, so running the tests never touches the checkout's models/ (and
// its LATEST) that a newcomer's own `embed train` wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-test-models-'));
process.env.EMBED_MODELS_DIR = dir;
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
