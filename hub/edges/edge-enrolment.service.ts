// Enrolment of edge boxes: add one (a fresh 32-byte secret, sealed at rest, shown once), rotate its
// secret, disable it, pin its audit key. Each change and its audit event commit together; no payload
// holds a secret.
import { keyIdOf, parsePublicKey } from '../../shared/audit/signed-head.js';
import { openSecret, sealSecret } from '../../shared/crypto/secret-box.js';
import { generateEdgeSecret, parseEdgeSecret } from '../../shared/forward/request-signature.js';
import { ID_PATTERN } from '../../shared/forward/wire.js';
import { findAgencyByOri, type HubAdminServices } from '../agencies/agencies.service.js';
import { HubAuditKind } from '../audit/hub-audit-kinds.js';
import { sqlState } from '../db/hub-db.js';
import {
  disableEdge,
  findEdgeAuth,
  insertEdge,
  lockEdge,
  pinHeadKey,
  setEdgeSecret,
} from './edges.repository.js';

export class EnrolmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnrolmentError';
  }
}

/** What enrolment prints once: the edge's secret and the key the edge verifies the hub's registry with. */
export interface EnrolmentCredentials {
  edgeId: string;
  secret: string;
  hubPublicKey: string;
  hubKeyId: string;
}

/** The associated data an edge's sealed secret is bound to. */
export const edgeSecretContext = (edgeId: string) => `edge-secret:${edgeId}`;

/** The 32 secret bytes of an edge, opened with the hub's secrets key. */
export function openEdgeSecret(secretsKey: Buffer, edgeId: string, sealed: string): Buffer {
  return openSecret(secretsKey, sealed, edgeSecretContext(edgeId));
}

function sealNew(hub: HubAdminServices, edgeId: string): { secret: string; sealed: string } {
  const secret = generateEdgeSecret();
  return {
    secret,
    sealed: sealSecret(hub.keys.secretsKey, parseEdgeSecret(secret), edgeSecretContext(edgeId)),
  };
}

function credentials(hub: HubAdminServices, edgeId: string, secret: string): EnrolmentCredentials {
  return {
    edgeId,
    secret,
    hubPublicKey: hub.keys.signing.publicKeyBase64,
    hubKeyId: hub.keys.signing.keyId,
  };
}

export async function enrolEdge(
  hub: HubAdminServices,
  input: { edgeId: string; agencyOri: string; label?: string },
  actor: string,
): Promise<EnrolmentCredentials> {
  if (!ID_PATTERN.test(input.edgeId)) {
    throw new EnrolmentError(
      `edge id "${input.edgeId}" must be 1-64 letters, digits, "_", "." or "-" (the edge's node.id)`,
    );
  }
  const agency = await findAgencyByOri(hub.db, input.agencyOri);
  if (!agency) {
    throw new EnrolmentError(`no agency with ORI ${input.agencyOri}: add it first (alpr hub agencies add)`);
  }
  const label = input.label?.trim() || null;
  const { secret, sealed } = sealNew(hub, input.edgeId);
  const now = hub.clock();
  try {
    await hub.db.transaction(async (tx) => {
      await insertEdge(tx, { id: input.edgeId, agencyId: agency.id, label, secretSealed: sealed }, now);
      await hub.audit.append(
        tx,
        {
          kind: HubAuditKind.edgeEnrolled,
          actor,
          payload: { edgeId: input.edgeId, agency: agency.ori, label },
        },
        now,
      );
    });
  } catch (error) {
    if (sqlState(error) === '23505')
      throw new EnrolmentError(`edge ${input.edgeId} is already enrolled (rotate its secret instead)`);
    throw error;
  }
  return credentials(hub, input.edgeId, secret);
}

/** Issue a new secret; the old one stops working at once. */
export async function rotateEdgeSecret(
  hub: HubAdminServices,
  edgeId: string,
  actor: string,
): Promise<EnrolmentCredentials> {
  const { secret, sealed } = sealNew(hub, edgeId);
  const now = hub.clock();
  await hub.db.transaction(async (tx) => {
    if (!(await setEdgeSecret(tx, edgeId, sealed, now))) throw new EnrolmentError(`no edge ${edgeId}`);
    await hub.audit.append(tx, { kind: HubAuditKind.edgeSecretRotated, actor, payload: { edgeId } }, now);
  });
  return credentials(hub, edgeId, secret);
}

/** Refuse every further request from the edge; what it already forwarded stays. */
export async function disableEnrolledEdge(
  hub: HubAdminServices,
  edgeId: string,
  actor: string,
  reason: string,
): Promise<'disabled' | 'already'> {
  const now = hub.clock();
  return hub.db.transaction(async (tx) => {
    const outcome = await disableEdge(tx, edgeId, now);
    if (outcome === 'missing') throw new EnrolmentError(`no edge ${edgeId}`);
    if (outcome === 'disabled') {
      await hub.audit.append(
        tx,
        { kind: HubAuditKind.edgeDisabled, actor, payload: { edgeId, reason } },
        now,
      );
    }
    return outcome;
  });
}

/**
 * Pin (or re-pin, after an edge's key was legitimately replaced) the public key of an edge's audit chain;
 * heads signed by any other key are refused from then on.
 */
export async function pinEdgeHeadKey(
  hub: HubAdminServices,
  edgeId: string,
  publicKeyText: string,
  actor: string,
): Promise<{ keyId: string; previousKeyId: string | null }> {
  let keyId: string;
  let publicKey: string;
  try {
    const key = parsePublicKey(publicKeyText);
    keyId = keyIdOf(key);
    publicKey = publicKeyText.trim();
  } catch (error) {
    throw new EnrolmentError(`not an Ed25519 public key: ${(error as Error).message}`);
  }
  const now = hub.clock();
  return hub.db.transaction(async (tx) => {
    const edge = await lockEdge(tx, edgeId);
    if (!edge) throw new EnrolmentError(`no edge ${edgeId}`);
    await pinHeadKey(tx, edgeId, { publicKey, keyId }, now);
    await hub.audit.append(
      tx,
      {
        kind: HubAuditKind.edgeKeyPinned,
        actor,
        payload: { edgeId, keyId, previousKeyId: edge.headKeyId, how: 'admin' },
      },
      now,
    );
    return { keyId, previousKeyId: edge.headKeyId };
  });
}

/** True when the edge exists, is enabled and its sealed secret opens (a startup/diagnostic check). */
export async function edgeSecretOpens(hub: HubAdminServices, edgeId: string): Promise<boolean> {
  const edge = await findEdgeAuth(hub.db, edgeId);
  if (!edge?.secretSealed) return false;
  try {
    openEdgeSecret(hub.keys.secretsKey, edgeId, edge.secretSealed);
    return true;
  } catch {
    return false;
  }
}
