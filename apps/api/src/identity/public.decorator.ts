import { SetMetadata } from '@nestjs/common';
import type { Role } from '@dispatch/domain';

export const IS_PUBLIC = 'identity:public';
export const REQUIRED_ROLES = 'identity:roles';

/** Open to anyone: health, docs, login. Everything else needs a signed-in staff member. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (403 for the others). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);
