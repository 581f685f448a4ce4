// The system-use notice every user accepts after login (ACK-01..03, CJIS Security Policy 5.5.4): the
// text is data, its version is the SHA-256 of its canonical text, and the gate says whether a session
// has accepted the current version. Changing one character of the notice changes the version and so
// forces a new acceptance from everyone.
import { sha256Hex } from '../canonical-json.js';

export interface NoticeSection {
  /** Stable id, for tests and for the audit of which elements were shown. */
  id: string;
  heading: string;
  text: string;
}

export interface Notice {
  title: string;
  sections: readonly NoticeSection[];
}

/**
 * The sharing statement the policy requires, verbatim (its recommendation (c)); the portal carries it
 * too. A test compares it with the policy document.
 */
export const SHARING_STATEMENT =
  'The San José Police Department only shares data with California law enforcement agencies subject to the ' +
  'California Values Act (Senate Bill 54, 2017) and Automated License Plate Recognition Systems: Use of Data ' +
  '(Senate Bill 34, 2015). These laws prohibit information sharing with federal immigration enforcement. ' +
  'Transmittal of Police Department Automated License Plate Reader data to federal agencies for immigration ' +
  'enforcement is illegal.';

export const NOTICE: Notice = {
  title: 'Restricted system: San José ALPR hub',
  sections: [
    {
      id: 'restricted_system',
      heading: 'Restricted system',
      text:
        'You are accessing a restricted criminal justice information system of the San José Police Department. ' +
        'Only authorized users may use it, and only for the authorized law enforcement purposes listed in the ' +
        'department ALPR policy.',
    },
    {
      id: 'monitored_audited',
      heading: 'Monitored and audited',
      text:
        'Every login, search, result viewed, export, hold and approval is recorded with your name, your agency, ' +
        'the crime type, case number and justification you give, and is regularly audited.',
    },
    {
      id: 'unauthorized_use',
      heading: 'Unauthorized use is prohibited',
      text:
        'Unauthorized or improper use of this system or its data is prohibited and may result in discipline, ' +
        'loss of access, and criminal and civil penalties, including under California Civil Code sections ' +
        '1798.90.5 to 1798.90.55.',
    },
    {
      id: 'consent_monitoring',
      heading: 'Consent to monitoring',
      text: 'By using this system you consent to the monitoring, recording and audit of your use of it.',
    },
    {
      id: 'no_immigration',
      heading: 'No immigration enforcement',
      text:
        'ALPR data must not be used for, or shared for, immigration enforcement, and must not be disclosed to ' +
        'federal immigration authorities. Searches for an immigration purpose are blocked and reported.',
    },
    {
      id: 'no_sensitive_sites',
      heading: 'No tracking at reproductive-health or religious sites',
      text:
        'ALPR data must not be used to identify or track people visiting reproductive health care facilities ' +
        'or places of religious observance, or anyone seeking or providing lawful reproductive health care.',
    },
    {
      id: 'no_protected_activity',
      heading: 'No monitoring of protected activity',
      text:
        'ALPR data must not be used to monitor or identify people for lawful protest, assembly, speech or ' +
        'other activity protected by the First Amendment.',
    },
    {
      id: 'no_sale',
      heading: 'No sale',
      text: 'ALPR data must never be sold, and must not be shared or exported except as the policy allows.',
    },
    { id: 'california_only', heading: 'California-only sharing', text: SHARING_STATEMENT },
  ],
};

/**
 * The canonical text the version is computed over: the title and each section (heading, text), separated
 * by blank lines, in order, with Unix line ends.
 * @example noticeText(NOTICE).startsWith('Restricted system: San José ALPR hub\n\n') // true
 */
export function noticeText(notice: Notice): string {
  return [notice.title, ...notice.sections.map((s) => `${s.heading}\n${s.text}`)]
    .join('\n\n')
    .normalize('NFC');
}

/**
 * The notice version: hex SHA-256 of its canonical text (written to each acknowledgment's audit entry).
 * @example noticeVersion(NOTICE) // '9c1f…' (64 hex characters)
 */
export function noticeVersion(notice: Notice): string {
  return sha256Hex(noticeText(notice));
}

export const NOTICE_VERSION = noticeVersion(NOTICE);

/** What a session records when its user accepts the notice. */
export interface Acknowledgment {
  sessionId: string;
  version: string;
  at: number;
}

export type AcknowledgmentGate =
  | { ok: true }
  | { ok: false; reason: 'not_acknowledged' | 'outdated_version' | 'other_session' };

/**
 * ACK-01/03: may this session use a search, result, export, hold or hotlist endpoint? Only when it
 * accepted the current notice version itself (an acceptance in another session does not count).
 * @example acknowledgmentGate('s1', { sessionId: 's1', version: NOTICE_VERSION, at }, NOTICE_VERSION) // { ok: true }
 */
export function acknowledgmentGate(
  sessionId: string,
  acknowledgment: Acknowledgment | null | undefined,
  currentVersion: string = NOTICE_VERSION,
): AcknowledgmentGate {
  if (!acknowledgment) return { ok: false, reason: 'not_acknowledged' };
  if (acknowledgment.sessionId !== sessionId) return { ok: false, reason: 'other_session' };
  if (acknowledgment.version !== currentVersion) return { ok: false, reason: 'outdated_version' };
  return { ok: true };
}
