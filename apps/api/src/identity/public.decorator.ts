import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '@dispatch/domain';

export const IS_PUBLIC = 'identity:public';
export const REQUIRED_ROLES = 'identity:roles';

/** Open to anyone: health, docs, login (and device intake, with its own key). Marked `x-public` in the OpenAPI document. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-public', true));

/**
 * Only these roles may call the route (403 for the others). Also written to the OpenAPI
 * document as `x-roles`, which the hostile-input suite reads instead of a hand-kept list.
 */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(REQUIRED_ROLES, roles), ApiExtension('x-roles', roles));
