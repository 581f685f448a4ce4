// Account administration over the API, scoped to the caller's own agency: an admin of agency A can
// neither see nor change agency B's accounts (another agency's account answers 404, as if absent).
// Creating an account answers the enrolment (otpauth URI and its QR code) once; nothing shows it again.
import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { HttpError } from '../http/http-errors.js';
import type { HubRoute } from '../http/hub-route.js';
import type { HubContext } from '../hub-context.js';
import { actingUser } from './acting-user.js';
import { publicUser } from './user-view.js';
import { listUsers } from './users.repository.js';
import {
  AccountError,
  approveUser,
  type ChangeActor,
  createUser,
  disableUser,
  recordTraining,
} from './users.service.js';

const STATUS = { bad_request: 400, forbidden: 403, not_found: 404, conflict: 409 } as const;

function asHttp(error: unknown): unknown {
  if (!(error instanceof AccountError)) return error;
  return new HttpError(
    STATUS[error.code],
    error.code,
    error.message,
    error.problems.length > 0 ? { problems: error.problems } : undefined,
  );
}

function actorOf(request: FastifyRequest): ChangeActor & { role: string } {
  const me = actingUser(request);
  return { username: me.username, role: me.role, agencyOri: me.agencyOri, clientAddress: me.clientAddress };
}

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' } },
} as const;

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'role'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 128 },
    role: { type: 'string', maxLength: 32 },
    /** defaults to the caller's agency; any other is refused */
    agency: { type: 'string', maxLength: 16 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;

export function usersRoutes(ctx: HubContext): HubRoute[] {
  const manage = { kind: 'user', permission: 'users.manage', acknowledged: true } as const;
  const tag = 'users';
  const idOf = (request: FastifyRequest) => Number((request.params as { id: string }).id);
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw asHttp(error);
    }
  };
  return [
    {
      method: 'GET',
      url: '/api/v1/users',
      auth: manage,
      summary: "The accounts of the caller's agency",
      tag,
      async handler(request: FastifyRequest) {
        const me = actingUser(request);
        return { users: (await listUsers(ctx.db, me.agencyId)).map(publicUser) };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/users',
      auth: manage,
      summary: 'Create an account in the caller’s agency; answers its TOTP enrolment once',
      tag,
      schema: { body: createBody },
      async handler(request: FastifyRequest, reply: FastifyReply) {
        const me = actingUser(request);
        const body = request.body as { username: string; role: string; agency?: string; password?: string };
        if (body.agency !== undefined && body.agency !== me.agencyOri) {
          throw new HttpError(403, 'forbidden', 'accounts can be created in your own agency only');
        }
        const enrolment = await run(() =>
          createUser(
            ctx,
            { username: body.username, role: body.role, agencyOri: me.agencyOri, password: body.password },
            actorOf(request),
          ),
        );
        reply.status(201);
        return {
          user: publicUser(enrolment.user),
          enrolment: {
            otpauthUri: enrolment.otpauthUri,
            qrDataUrl: await QRCode.toDataURL(enrolment.otpauthUri, { errorCorrectionLevel: 'M' }),
            shownOnce: true,
          },
          ...(enrolment.generatedPassword ? { password: enrolment.generatedPassword } : {}),
        };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/users/:id/disable',
      auth: manage,
      summary: 'Disable an account; its sessions end at once',
      tag,
      schema: {
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
        },
      },
      async handler(request: FastifyRequest) {
        const reason = (request.body as { reason?: string } | undefined)?.reason ?? 'disabled by an admin';
        const user = await run(() =>
          disableUser(ctx, idOf(request), actorOf(request), reason, actingUser(request).agencyId),
        );
        return { user: publicUser(user) };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/users/:id/approval',
      auth: { kind: 'user', permission: 'account.approve', acknowledged: true },
      summary: 'Record the supervisor approval an account needs before its first search (not your own)',
      tag,
      schema: { params: idParams },
      async handler(request: FastifyRequest) {
        const user = await run(() =>
          approveUser(ctx, idOf(request), actorOf(request), actingUser(request).agencyId),
        );
        return { user: publicUser(user) };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/users/:id/training',
      auth: manage,
      summary: 'Record the date the user completed the ALPR training',
      tag,
      schema: {
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['date'],
          properties: { date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
        },
      },
      async handler(request: FastifyRequest) {
        const { date } = request.body as { date: string };
        const at = Date.parse(`${date}T00:00:00Z`);
        if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== date) {
          throw new HttpError(400, 'bad_request', `${date} is not a calendar date`);
        }
        const user = await run(() =>
          recordTraining(ctx, idOf(request), at, actorOf(request), actingUser(request).agencyId),
        );
        return { user: publicUser(user) };
      },
    },
  ];
}
