import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@dispatch/domain';

export interface ActorRequest {
  actor?: Actor;
  /** The sign-in the bearer token belongs to. */
  sessionId?: string;
}

/** The signed-in staff member the auth guard attached to the request. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<ActorRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
