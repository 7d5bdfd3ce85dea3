import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { type Capability, rolesWith } from '@dispatch/domain';

export const IS_PUBLIC = 'identity:public';
export const REQUIRED_ROLES = 'identity:roles';

/** Open to anyone: health, docs, login (and device intake, with its own key). Marked `x-public` in the OpenAPI document. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-public', true));

/**
 * Only the roles the permissions table gives this capability may call the route (403 for the
 * others). Written to the OpenAPI document as `x-capability` and `x-roles`, which the
 * security suites read instead of a hand-kept list.
 */
export const Can = (capability: Capability) => {
  const roles = [...rolesWith(capability)];
  return applyDecorators(SetMetadata(REQUIRED_ROLES, roles), ApiExtension('x-capability', capability), ApiExtension('x-roles', roles));
};
