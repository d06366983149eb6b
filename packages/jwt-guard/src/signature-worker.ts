/**
 * Signature checks on one dedicated worker thread. The checks collected in
 * one turn of the event loop go to the worker as one message; the worker
 * runs them one after the other with node:crypto and answers each as soon
 * as it is done. On a machine with few cores this keeps one thread busy
 * with signatures beside the event loop, where libuv's pool of four
 * threads competes with the event loop for the cores, and it leaves
 * libuv's pool to file system, DNS and zlib work (docs/benchmarks.md).
 *
 * The worker only calls `crypto.verify` with arguments the event loop has
 * already checked (algorithm, key type, signature length; see
 * verify-signature.ts). Whatever goes wrong with the worker sends the
 * checks concerned to libuv's pool instead, so a check never fails because
 * of the worker.
 */

import { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

import {
  asymmetricArguments,
  verifySignature,
  verifySignatureAsync,
} from './verify-signature.js';
import type { AsymmetricOptions } from './verify-signature.js';

// The worker's whole program. A message carries new keys by id and ids to
// forget (when there are any), the jobs' numbers in `meta` (FIELDS per
// job, in the order of jobToMeta) and their bytes (signing input, then
// signature) in `bytes`; both buffers are transferred, not copied. Each
// answer is the job's sequence number times 4 plus 1 (valid), 0 (invalid)
// or 2 (not checked: unknown key id or an exception, which the event loop
// checks again on the pool).
const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const { verify } = require('node:crypto');
const HASHES = [null, 'sha256', 'sha384', 'sha512'];
const keys = new Map();
parentPort.on('message', ({ add, drop, meta, bytes }) => {
  for (const [id, key] of add ?? []) keys.set(id, key);
  for (const id of drop ?? []) keys.delete(id);
  for (let i = 0; i < meta.length; i += 9) {
    const key = keys.get(meta[i + 1]);
    const hash = HASHES[meta[i + 2]];
    let answer = 2;
    if (key !== undefined && hash !== undefined) {
      try {
        const input = { key };
        if (meta[i + 3] === 1) input.dsaEncoding = 'ieee-p1363';
        if (meta[i + 4] !== 0) input.padding = meta[i + 4];
        if (meta[i + 5] >= 0) input.saltLength = meta[i + 5];
        const data = bytes.subarray(meta[i + 6], meta[i + 7]);
        const signature = bytes.subarray(meta[i + 7], meta[i + 8]);
        answer = verify(hash, data, input, signature) ? 1 : 0;
      } catch {
        answer = 2;
      }
    }
    parentPort.postMessage(meta[i] * 4 + answer);
  }
});
`;

/** Numbers per job in a message's `meta`. */
const FIELDS = 9;

/** The worker's HASHES, by name. */
const HASH_CODES = new Map<string | null, number>([
  [null, 0],
  ['sha256', 1],
  ['sha384', 2],
  ['sha512', 3],
]);

/** A worker idle this long is stopped; the next check starts another. */
const IDLE_MILLIS = 30_000;

interface Job {
  readonly alg: string;
  readonly key: KeyObject;
  readonly keyId: number;
  readonly hash: string | null;
  readonly options: AsymmetricOptions;
  readonly data: Uint8Array;
  readonly signature: Uint8Array;
  readonly resolve: (valid: boolean) => void;
}

// Key ids are per process and never reused.
const keyIds = new WeakMap<KeyObject, number>();
let nextKeyId = 1;

function keyIdOf(key: KeyObject): number {
  let id = keyIds.get(key);
  if (id === undefined) {
    id = nextKeyId;
    nextKeyId += 1;
    keyIds.set(key, id);
  }

  return id;
}

// The same check on libuv's pool: the path when the worker cannot answer.
function onPool(job: Job): void {
  void verifySignatureAsync(job.alg, job.key, job.data, job.signature).then(
    job.resolve,
  );
}

/** One signature worker thread, started on demand, stopped when idle. */
export class SignatureWorker {
  /**
   * @param source - the worker's program; tests pass faulty ones.
   * @param idleMillis - how long an idle worker thread is kept.
   */
  constructor(
    private readonly source: string = WORKER_SOURCE,
    private readonly idleMillis: number = IDLE_MILLIS,
  ) {}

  // A key sent to the worker is forgotten there with the next message
  // once its KeyObject is collected here.
  private collected: number[] = [];
  private readonly registered = new WeakSet<KeyObject>();
  private readonly registry = new FinalizationRegistry<number>((id) => {
    this.collected.push(id);
  });

  private worker: Worker | undefined;
  private online = false;
  private known = new Set<number>();
  private queued: Job[] = [];
  private sent: Job[] = [];
  private flushScheduled = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private answered = 0;
  // The sequence number the next job sent gets; sent[0] has
  // nextSequence - sent.length, since answers come back in order.
  private nextSequence = 0;
  private unavailable = false;
  private workerAnswered = false;
  private started = 0;
  private whenOnline: Promise<boolean> = Promise.resolve(false);

  /** Checks answered by the worker thread itself (not by the pool). */
  get answeredByWorker(): number {
    return this.answered;
  }

  /** Worker threads started so far. */
  get threadsStarted(): number {
    return this.started;
  }

  /** Ids of collected keys waiting to be dropped by the worker. */
  get keysForgotten(): number {
    return this.collected.length;
  }

  /** Whether a worker thread is running (or starting) now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /**
   * Resolves true once a worker thread runs (starting one if needed),
   * false if none can start.
   */
  ready(): Promise<boolean> {
    const worker = this.start();
    if (worker === undefined) return Promise.resolve(false);
    if (this.online) return Promise.resolve(true);
    // Referenced while starting, so that waiting keeps the process alive.
    worker.ref();
    return this.whenOnline.then((online) => {
      if (this.worker === worker && this.sent.length === 0) worker.unref();
      return online;
    });
  }

  /** {@link verifySignatureOnWorker} on this worker. */
  check(
    alg: string,
    key: KeyObject,
    data: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean> {
    // Only a real KeyObject and bytes go to the worker; anything else gets
    // the synchronous check's answer, so both always agree.
    const call =
      key instanceof KeyObject &&
      data instanceof Uint8Array &&
      signature instanceof Uint8Array
        ? asymmetricArguments(alg, key, signature)
        : null;
    if (call === null) {
      return Promise.resolve(verifySignature(alg, key, data, signature));
    }

    if (call === undefined) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.verify({
        alg,
        key,
        keyId: keyIdOf(key),
        hash: call.hash,
        options: call.options,
        // Copied now: the caller may reuse its buffers once this returns.
        data: new Uint8Array(data),
        signature: new Uint8Array(signature),
        resolve,
      });
    });
  }

  private verify(job: Job): void {
    const worker = this.start();
    if (worker === undefined || !this.online) {
      onPool(job);
      if (this.sent.length === 0 && this.queued.length === 0) this.idle();
      return;
    }

    this.queued.push(job);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Stops the worker thread; checks it had not answered go to the pool. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.stop(worker);
    await worker.terminate();
  }

  private start(): Worker | undefined {
    if (this.idleTimer !== undefined) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }

    if (this.worker !== undefined || this.unavailable) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(this.source, { eval: true });
      this.started += 1;
    } catch {
      // Such as the permission model without --allow-worker: the pool
      // answers every check from now on.
      this.unavailable = true;
      return undefined;
    }

    // One pair of listeners per worker, however many wait in ready().
    this.whenOnline = new Promise((resolve) => {
      const onOnline = () => settle(true);
      const onExit = () => settle(false);
      const settle = (online: boolean) => {
        worker.off('online', onOnline);
        worker.off('exit', onExit);
        if (online && this.worker === worker) this.online = true;
        resolve(online);
      };
      worker.once('online', onOnline);
      worker.once('exit', onExit);
    });
    worker.on('message', (message: number) => {
      if (this.worker === worker) this.answer(worker, message);
    });
    // A worker that ends before answering anything is not started again
    // (a preloaded module that fails in threads, say): the pool answers.
    const failed = () => {
      if (this.worker === worker && !this.workerAnswered) {
        this.unavailable = true;
      }
      this.stop(worker);
    };
    worker.on('error', failed);
    worker.on('exit', failed);
    // After the listeners: adding a 'message' listener refs the worker
    // again, and a referenced worker would keep the process alive.
    worker.unref();
    this.worker = worker;
    this.workerAnswered = false;
    return worker;
  }

  private flush(): void {
    this.flushScheduled = false;
    const jobs = this.queued;
    this.queued = [];
    if (jobs.length === 0) return;
    const worker = this.worker;
    if (worker === undefined) {
      jobs.forEach(onPool);
      return;
    }

    // In flight from here on, so that whatever fails below hands them to
    // the pool with the rest (stop()). One at a time: a spread of a very
    // large batch would overflow the stack.
    for (const job of jobs) {
      this.sent.push(job);
      this.nextSequence += 1;
    }
    try {
      this.send(worker, jobs);
    } catch {
      this.stop(worker);
      void worker.terminate();
    }
  }

  // Posts `jobs`, the newest entries of `sent`, to `worker` as one message.
  private send(worker: Worker, jobs: readonly Job[]): void {
    let size = 0;
    for (const job of jobs) size += job.data.length + job.signature.length;
    const bytes = new Uint8Array(size);
    const meta = new Float64Array(jobs.length * FIELDS);
    const add: [number, KeyObject][] = [];
    let offset = 0;
    let sequence = this.nextSequence - jobs.length;
    jobs.forEach((job, index) => {
      if (!this.known.has(job.keyId)) {
        this.known.add(job.keyId);
        add.push([job.keyId, job.key]);
        if (!this.registered.has(job.key)) {
          this.registered.add(job.key);
          this.registry.register(job.key, job.keyId);
        }
      }

      const { options } = job;
      const start = offset;
      bytes.set(job.data, offset);
      offset += job.data.length;
      const middle = offset;
      bytes.set(job.signature, offset);
      offset += job.signature.length;
      meta.set(
        [
          sequence,
          job.keyId,
          HASH_CODES.get(job.hash) ?? -1,
          options.dsaEncoding === 'ieee-p1363' ? 1 : 0,
          options.padding ?? 0,
          options.saltLength ?? -1,
          start,
          middle,
          offset,
        ],
        index * FIELDS,
      );
      sequence += 1;
    });

    const drop = this.collected;
    this.collected = [];
    for (const id of drop) this.known.delete(id);
    // Referenced while checks are in flight, as libuv's pool would be: a
    // pending check keeps the process alive, an idle worker does not.
    worker.ref();
    worker.postMessage(
      {
        add: add.length > 0 ? add : undefined,
        drop: drop.length > 0 ? drop : undefined,
        meta,
        bytes,
      },
      [meta.buffer, bytes.buffer],
    );
  }

  private answer(worker: Worker, message: number): void {
    // An answer that is not for the oldest job in flight means the two
    // sides disagree: stop trusting this worker and let the pool answer.
    const expected = this.nextSequence - this.sent.length;
    if (Math.floor(message / 4) !== expected || this.sent.length === 0) {
      this.stop(worker);
      void worker.terminate();
      return;
    }

    const job = this.sent.shift() as Job;
    this.workerAnswered = true;
    const answer = message % 4;
    if (answer === 0 || answer === 1) {
      this.answered += 1;
      job.resolve(answer === 1);
    } else {
      onPool(job);
    }

    if (this.sent.length === 0) worker.unref();
    if (this.sent.length === 0 && this.queued.length === 0) this.idle();
  }

  private idle(): void {
    if (this.idleTimer !== undefined) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.sent.length === 0 && this.queued.length === 0) {
        void this.terminate();
      }
    }, this.idleMillis);
    this.idleTimer.unref();
  }

  // The worker ended or failed: what it had not answered goes to the pool.
  private stop(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.online = false;
    this.known = new Set();
    const unanswered = [...this.sent, ...this.queued];
    this.sent = [];
    this.queued = [];
    unanswered.forEach(onPool);
  }
}

let shared: SignatureWorker | undefined;

/** The process's signature worker, shared by every verifier. */
export function sharedSignatureWorker(): SignatureWorker {
  shared ??= new SignatureWorker();
  return shared;
}

/**
 * The same check as {@link verifySignature}, run on the process's
 * signature worker thread for asymmetric algorithms (on libuv's pool while
 * the worker starts, and whenever it cannot answer). HMAC stays on the
 * event loop. Resolves to false wherever the synchronous check returns
 * false; never rejects.
 */
export function verifySignatureOnWorker(
  alg: string,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  return sharedSignatureWorker().check(alg, key, data, signature);
}
