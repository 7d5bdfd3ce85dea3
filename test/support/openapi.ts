import type { Role } from '@dispatch/domain';
import request from 'supertest';

/** The parts of a JSON schema the security tier reads. */
export interface Schema {
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  enum?: unknown[];
  items?: Schema;
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
}

/** One route of the api, as its OpenAPI document describes it. */
export interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  public: boolean;
  /** `x-roles`: who may call it (null: any signed-in user). */
  roles: Role[] | null;
  /** `x-capability`: the row of the permissions table the route checks. */
  capability: string | null;
  /** The request body's schema as written (possibly a `$ref`). */
  body: Schema | null;
  query: string[];
}

type Spec = { 'x-public'?: boolean; 'x-roles'?: Role[]; 'x-capability'?: string; requestBody?: { content: Record<string, { schema: Schema }> }; parameters?: Array<{ in: string; name: string }> };

/** Every route of the running api, read from the document it publishes, and its schemas. */
export async function readOperations(url: string): Promise<{ operations: Operation[]; components: Record<string, Schema> }> {
  const doc = (await request(url).get('/api/docs-json')).body as { paths: Record<string, Record<string, Spec>>; components: { schemas: Record<string, Schema> } };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
      .map(([method, spec]) => ({
        method: method as Operation['method'],
        path,
        public: Boolean(spec['x-public']),
        roles: spec['x-roles'] ?? null,
        capability: spec['x-capability'] ?? null,
        body: spec.requestBody?.content['application/json']?.schema ?? null,
        query: (spec.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
      })),
  );
  return { operations, components: doc.components.schemas };
}
