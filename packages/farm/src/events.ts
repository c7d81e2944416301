/**
 * What the loops report as they run. A hook is optional and must not throw; the child-process
 * entry forwards these to its parent, tests collect them, functions log them.
 */
export type FarmEvent =
  | { type: 'ready'; role: Role; id: string; at: number }
  | { type: 'pushed'; taskId: string; index: number; at: number; enqueued: number }
  | { type: 'task-start'; id: string; taskId: string; at: number }
  | { type: 'task-done'; id: string; taskId: string; at: number; counted: boolean }
  | { type: 'collected'; taskId: string; at: number; met: boolean; counted: boolean }
  | { type: 'dead-letter'; by: string; source: string; reason: string }
  | { type: 'reaped'; workerId: string; requeued: number }
  | { type: 'leaving'; id: string; correlationId: string }
  | { type: 'generation-done'; generated: number; at: number }
  | { type: 'error'; by: string; message: string };

export type Role = 'emitter' | 'worker' | 'collector';

export interface FarmHooks {
  onEvent?(event: FarmEvent): void;
}

export function emit(hooks: FarmHooks | undefined, event: FarmEvent): void {
  try {
    hooks?.onEvent?.(event);
  } catch {
    // A broken hook must not stop a loop.
  }
}
