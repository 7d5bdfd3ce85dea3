import { Injectable } from '@nestjs/common';
import type { AnyDomainEvent } from '@dispatch/domain';
import { Subject, type Observable } from 'rxjs';

/**
 * Hands committed log rows to whoever pushes them (the socket gateway). Use cases call
 * `published` only after their transaction committed, with the rows the log returned.
 */
@Injectable()
export class EventBus {
  private readonly committed = new Subject<AnyDomainEvent>();

  get events(): Observable<AnyDomainEvent> {
    return this.committed.asObservable();
  }

  published(events: readonly AnyDomainEvent[]): void {
    for (const event of events) this.committed.next(event);
  }
}
