/**
 * The worker thread of read-ahead.ts: reads a DCD as readFrames does (slice, value checks), each
 * frame converted straight into the next free slot of the shared ring (by the SIMD kernel of
 * binary/dcd-frame-wasm.ts where the runtime runs it), waiting while the ring is full.
 */
import { parentPort } from 'node:worker_threads';
import { errorToTransfer } from '../core/errors.js';
import { Topology } from '../core/topology.js';
import { ringOf, wasmInterleaver, windowOf } from './binary/dcd-frame-wasm.js';
import { inspectInput } from './byte-source.js';
import { frameSelection, selectedFrameCount } from './format.js';
import { dcd } from './formats/dcd.js';
import {
  type CreateFrameJob,
  FRAMES,
  HEAD,
  META,
  type ReadAheadInit,
  type ReadAheadMessage,
  STATE,
  TAIL,
  wakeEvery,
} from './read-ahead.js';
import { checkReadFrame } from './value-limits.js';

/** Bytes between progress messages. */
const PROGRESS_BYTES = 16 << 20;

const send = (m: ReadAheadMessage) => parentPort!.postMessage(m);

const run = async (init: ReadAheadInit) => {
  const { control, slots, path, frameMemory } = init;
  // The frames checked and interleaved by the SIMD kernel, straight into the ring, where it runs.
  const ring = frameMemory ? ringOf(frameMemory) : init.ring!;
  const interleaveCoordinates = frameMemory && wasmInterleaver(frameMemory);
  const n = init.symbols.length;
  const stride = 3 * n + META;
  const wake = wakeEvery(slots);
  // This thread only reads: blocking reads skip the thread pool's round trip.
  const input = { ...(await inspectInput(path)), blockingReads: true };
  let posted = 0;
  input.onRawBytes = (b) => {
    if (b - posted >= PROGRESS_BYTES || b === input.size) {
      posted = b;
      send({ kind: 'progress', done: b, total: input.size });
    }
  };
  const { start, stop, step } = frameSelection(init.frames);
  const topology = new Topology({ symbols: init.symbols });
  const jobMemory = frameMemory && {
    memory: frameMemory.memory,
    offset: frameMemory.jobOffset,
    bytes: frameMemory.jobBytes,
  };
  const job = init.job
    ? ((await import(init.job.module)) as { createFrameJob: CreateFrameJob }).createFrameJob(
        init.job.init,
        jobMemory,
      )
    : undefined;
  let head = 0;
  // The reader converts each frame straight into the next free slot (waiting while the ring is
  // full): no copy from a frame array into the ring. A frame outside the selection is written
  // there too and overwritten by the next, as the slot is only handed on for a kept frame.
  const positionsInto = () => {
    for (;;) {
      const tail = Atomics.load(control, TAIL);
      if (head - tail < slots) break;
      Atomics.wait(control, TAIL, tail);
    }
    const base = (head % slots) * stride;
    return ring.subarray(base, base + 3 * n);
  };
  const reader = dcd.read!(input, {
    topology,
    positionsInto,
    interleaveCoordinates,
    readWindow: frameMemory && windowOf(frameMemory),
    onWarning: (message) => send({ kind: 'warning', message }),
    onFrameCount: (total) => {
      const frames = selectedFrameCount(total, init.frames);
      if (frames <= 0x7fffffff) Atomics.store(control, FRAMES, frames);
      job?.onFrameCount?.(frames);
    },
  });
  let k = 0;
  for await (const s of reader) {
    if (k >= stop) break;
    if (k >= start && (k - start) % step === 0) {
      checkReadFrame(s, path, k + 1);
      const f = s.frame;
      const meta = (head % slots) * stride + 3 * n;
      ring[meta] = f.lattice ? 1 : 0;
      if (f.lattice) ring.set(f.lattice.matrix, meta + 1);
      ring[meta + 10] = f.step ?? Number.NaN;
      ring[meta + 11] = f.timeFs ?? Number.NaN;
      ring[meta + 12] = f.unwrapped === undefined ? -1 : f.unwrapped ? 1 : 0;
      head++;
      Atomics.store(control, HEAD, head);
      // Woken in batches (a wake is a thread switch): the reader, if it waits, waits for several.
      if (head % wake === 0) Atomics.notify(control, HEAD);
      // After the frame is handed on: its slot is not written again before the next frame.
      job?.push(f);
    }
    k++;
  }
  if (job) send({ kind: 'job', result: job.finish() });
};

/** The reading: its settings by message (a thread can be started before they are known, prestartDcdReading). */
parentPort!.once('message', (init: ReadAheadInit) => {
  const { control } = init;
  run(init).then(
    () => {
      send({ kind: 'done' });
      Atomics.store(control, STATE, 1);
      Atomics.notify(control, HEAD);
    },
    (e) => {
      send({ kind: 'error', error: errorToTransfer(e) });
      Atomics.store(control, STATE, 2);
      Atomics.notify(control, HEAD);
    },
  );
});
