import { createAuditBus } from '../src/index.js';
import type { AuditEvent } from '../src/index.js';

describe('createAuditBus', () => {
  it('delivers typed events stamped with the clock', () => {
    const bus = createAuditBus({ now: () => 42 });
    const seen: AuditEvent[] = [];
    bus.on('auth.login.failed', (event) => seen.push(event));
    bus.emit('auth.login.failed', { provider: 'dev', code: 'LOGIN_CANCELLED' });

    expect(seen).toEqual([
      {
        type: 'auth.login.failed',
        at: 42,
        provider: 'dev',
        code: 'LOGIN_CANCELLED',
      },
    ]);
  });

  it('delivers only the subscribed type to on(), every type to onAny()', () => {
    const bus = createAuditBus();
    const typed: string[] = [];
    const all: string[] = [];
    bus.on('auth.logout', (e) => typed.push(e.type));
    bus.onAny((e) => all.push(e.type));
    bus.emit('auth.logout', {});
    bus.emit('token.rejected', { code: 'invalid_token' });

    expect(typed).toEqual(['auth.logout']);
    expect(all).toEqual(['auth.logout', 'token.rejected']);
  });

  it('stops delivering after unsubscribe', () => {
    const bus = createAuditBus();
    let count = 0;
    const off = bus.onAny(() => (count += 1));
    bus.emit('auth.logout', {});
    off();
    bus.emit('auth.logout', {});

    expect(count).toBe(1);
  });

  it('keeps going when a listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const bus = createAuditBus({ onListenerError: (e) => errors.push(e) });
    let reached = false;
    bus.onAny(() => {
      throw new Error('sink down');
    });
    bus.onAny(() => (reached = true));

    expect(() => bus.emit('auth.logout', {})).not.toThrow();
    expect(reached).toBe(true);
    expect(errors).toHaveLength(1);
  });
});
