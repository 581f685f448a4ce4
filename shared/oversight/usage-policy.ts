// The usage and privacy policy the portal publishes (TP-05): the sections Civil Code 1798.90.51(b)(2)
// (A)-(G) requires, in that order, with the live retention value, so the published text and the purge
// cannot disagree (RET-08). A test checks every required section is present and not empty.
import { SHARING_STATEMENT } from '../access/notice.js';

export interface PolicySection {
  /** the subparagraph of 1798.90.51(b)(2): A..G */
  id: 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G';
  heading: string;
  paragraphs: string[];
}

/** What SB 34 requires of each section, in the statute's order (the test compares the policy with this). */
export const SB34_REQUIRED_SECTIONS: readonly { id: PolicySection['id']; topic: string }[] = [
  { id: 'A', topic: 'authorized purposes' },
  { id: 'B', topic: 'authorized job titles and training' },
  { id: 'C', topic: 'monitoring and audit' },
  { id: 'D', topic: 'sharing: purposes, process and restrictions' },
  { id: 'E', topic: 'custodian' },
  { id: 'F', topic: 'accuracy' },
  { id: 'G', topic: 'retention and destruction' },
];

/**
 * The published policy, with the configured retention.
 * @example usagePolicy({ retentionDays: 30 }).find((s) => s.id === 'G')!.paragraphs[0] // 'ALPR reads are kept 30 days …'
 */
export function usagePolicy(live: { retentionDays: number | null }): PolicySection[] {
  const days = live.retentionDays === null ? 'the configured number of' : String(live.retentionDays);
  return [
    {
      id: 'A',
      heading: 'Authorized purposes',
      paragraphs: [
        'ALPR data is used only to investigate crimes of the types listed in the department policy, to locate stolen vehicles and plates, wanted and missing persons, and for AMBER alerts.',
        'Every search names a crime type from that list, a case number and a specific justification; searches for immigration enforcement, reproductive health care or protected activity are blocked and reported.',
      ],
    },
    {
      id: 'B',
      heading: 'Authorized job titles and training',
      paragraphs: [
        'Sworn investigators and their supervisors may search; command staff approve new external agencies and searches near sensitive sites; auditors review use and cannot search plates; administrators manage accounts and cannot search plates.',
        'Every account needs a supervisor’s approval and ALPR training completed within the last two years before its first search; accounts unused for 90 days are disabled.',
      ],
    },
    {
      id: 'C',
      heading: 'Monitoring and audit',
      paragraphs: [
        'Every login, search (allowed or refused), result viewed, export, hold and sharing change is one entry in a hash-chained audit log whose head is signed and published on this portal.',
        'Auditors review an anomaly queue every week and a signed compliance report every quarter, including a random sample of searches whose case numbers are verified.',
      ],
    },
    {
      id: 'D',
      heading: 'Sharing: purposes, process and restrictions',
      paragraphs: [
        SHARING_STATEMENT,
        'An external California agency gets access only through a grant approved by command staff, for a stated purpose, expiring after at most 90 days; each of its requests carries a crime type, case number and justification. ALPR data is never sold.',
      ],
    },
    {
      id: 'E',
      heading: 'Custodian',
      paragraphs: [
        'The official custodian responsible for this policy is the Chief of Police of the San José Police Department, through the commander of the unit that operates the ALPR system.',
      ],
    },
    {
      id: 'F',
      heading: 'Accuracy',
      paragraphs: [
        'A hotlist hit is unverified until a person visually confirms the plate and checks that the hotlist entry is current; no enforcement action follows an unverified hit.',
        'Reads carry the recognizer’s confidence; errors found are corrected or the read is deleted, and hotlists are refreshed at least daily.',
      ],
    },
    {
      id: 'G',
      heading: 'Retention and destruction',
      paragraphs: [
        `ALPR reads are kept ${days} days and then destroyed, on the cameras’ edge devices and at the hub, unless an evidentiary hold approved by a supervisor for a case keeps specific reads.`,
        'Every purge writes a signed receipt to the audit chain; the quarterly report fails if any read without a hold is older than the retention period plus one hour.',
      ],
    },
  ];
}
