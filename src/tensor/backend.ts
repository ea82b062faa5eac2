// TensorFlow.js backend choice, in one place: native TensorFlow (tfjs-node-gpu, then tfjs-node) when it
// loads, else the wasm backend that ships inside npm, else the plain cpu backend. A missing or broken
// native package is never an error, only a note (shown with --verbose).
import type * as TF from '@tensorflow/tfjs-core';

/** --backend: defined here, where the choice is made. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export type BackendName = BackendChoice;

export interface TensorBackend {
  tf: typeof TF;
  /** The backend that is active: 'tensorflow' (native, CPU or GPU), 'wasm' or 'cpu'. */
  name: string;
  /** Which package provided it, e.g. '@tensorflow/tfjs-node' or '@tensorflow/tfjs-backend-wasm'. */
  provider: string;
  notes: string[];
}

let active: Promise<TensorBackend> | null = null;
let activeChoice: BackendName | null = null;

async function tryNative(pkg: string, notes: string[]): Promise<boolean> {
  try {
    // Loading registers the 'tensorflow' backend on the shared tfjs-core instance. Any error (missing
    // package, missing libtensorflow, ABI mismatch) means "not here" — require throws plain Errors too.
    await import(pkg);
    return true;
  } catch (e) {
    notes.push(`${pkg} not used: ${String((e as Error).message ?? e).split('\n')[0]}`);
    return false;
  }
}

async function init(choice: BackendName): Promise<TensorBackend> {
  const tf = await import('@tensorflow/tfjs-core');
  tf.enableProdMode(); // also silences the "install tfjs-node" banner
  const notes: string[] = [];
  const use = async (name: string, provider: string): Promise<TensorBackend | null> => {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { tf, name, provider, notes };
      }
      notes.push(`backend ${name} did not initialise`);
    } catch (e) {
      notes.push(`backend ${name} failed: ${(e as Error).message}`);
    }
    return null;
  };
  if (choice === 'auto' || choice === 'tensorflow') {
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      if (await tryNative(pkg, notes)) {
        const b = await use('tensorflow', pkg);
        if (b) return b;
      }
    }
    if (choice === 'tensorflow') notes.push('native TensorFlow is not available here; falling back');
  }
  if (choice !== 'cpu') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      const b = await use('wasm', '@tensorflow/tfjs-backend-wasm');
      if (b) return b;
    } catch (e) {
      notes.push(`@tensorflow/tfjs-backend-wasm not used: ${(e as Error).message}`);
    }
  }
  await import('@tensorflow/tfjs-backend-cpu');
  const b = await use('cpu', '@tensorflow/tfjs-backend-cpu');
  if (!b) throw new Error('no TensorFlow.js backend could be initialised');
  return b;
}

/** The TensorFlow.js backend for this process (initialised once; later calls return the same one). */
export function getBackend(choice: BackendName = 'auto'): Promise<TensorBackend> {
  if (!active || (activeChoice !== choice && choice !== 'auto')) {
    active = init(choice);
    activeChoice = choice;
  }
  return active;
}
