import { v7 } from 'uuid';

/** Time-ordered unique ids (UUIDv7): sortable by creation, safe to generate on any device. */
export function newId(): string {
  return v7();
}
