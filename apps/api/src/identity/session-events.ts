import { Injectable } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';

export type SessionEnd = { sessionId: string } | { staffId: string };

/** Tells the socket gateway which sign-ins ended, so it disconnects their sockets on every process. */
@Injectable()
export class SessionEvents {
  private readonly endings = new Subject<SessionEnd>();

  get ends(): Observable<SessionEnd> {
    return this.endings.asObservable();
  }

  ended(end: SessionEnd): void {
    this.endings.next(end);
  }
}
