// The offence types a search may name (Q-01, Q-02; Civil Code §1798.90.52(b)): serious California
// offences for which the city allows ALPR searches. Deliberately fixed in code, not configuration: the
// list holds no immigration or civil-immigration entry (no 8 U.S.C. code, no "removal", the CLETS
// "U" class), every statute cited is a California code, and a test proves both.

export interface CrimeType {
  /** Stable code sent by clients and written to the audit (lower snake case). */
  code: string;
  label: string;
  /** California statutes (PC Penal, VC Vehicle, HS Health and Safety, WIC Welfare and Institutions Code). */
  statutes: readonly string[];
}

export const CRIME_TYPES: readonly CrimeType[] = [
  { code: 'homicide', label: 'Homicide', statutes: ['PC 187'] },
  { code: 'attempted_homicide', label: 'Attempted homicide', statutes: ['PC 664/187'] },
  { code: 'robbery', label: 'Robbery', statutes: ['PC 211'] },
  { code: 'carjacking', label: 'Carjacking', statutes: ['PC 215'] },
  { code: 'kidnapping', label: 'Kidnapping', statutes: ['PC 207'] },
  { code: 'child_abduction', label: 'Child abduction (AMBER alert)', statutes: ['PC 278', 'PC 278.5'] },
  { code: 'human_trafficking', label: 'Human trafficking', statutes: ['PC 236.1'] },
  { code: 'sexual_assault', label: 'Sexual assault', statutes: ['PC 261', 'PC 288'] },
  { code: 'assault_deadly_weapon', label: 'Assault with a deadly weapon', statutes: ['PC 245'] },
  {
    code: 'shooting_at_dwelling_or_vehicle',
    label: 'Shooting at an inhabited dwelling or vehicle',
    statutes: ['PC 246'],
  },
  { code: 'domestic_violence', label: 'Domestic violence with injury', statutes: ['PC 273.5'] },
  { code: 'child_abuse', label: 'Child abuse', statutes: ['PC 273a', 'PC 273d'] },
  { code: 'elder_abuse', label: 'Elder or dependent adult abuse', statutes: ['PC 368'] },
  { code: 'stalking', label: 'Stalking', statutes: ['PC 646.9'] },
  { code: 'criminal_threats', label: 'Criminal threats', statutes: ['PC 422'] },
  { code: 'hate_crime', label: 'Hate crime', statutes: ['PC 422.55', 'PC 422.6'] },
  { code: 'arson', label: 'Arson', statutes: ['PC 451'] },
  { code: 'burglary', label: 'Burglary', statutes: ['PC 459'] },
  { code: 'grand_theft', label: 'Grand theft', statutes: ['PC 487'] },
  { code: 'organized_retail_theft', label: 'Organized retail theft', statutes: ['PC 490.4'] },
  { code: 'vehicle_theft', label: 'Vehicle theft', statutes: ['VC 10851', 'PC 487(d)(1)'] },
  { code: 'receiving_stolen_property', label: 'Receiving stolen property', statutes: ['PC 496', 'PC 496d'] },
  { code: 'identity_theft', label: 'Identity theft', statutes: ['PC 530.5'] },
  { code: 'fraud', label: 'Fraud by false pretenses', statutes: ['PC 532'] },
  { code: 'extortion', label: 'Extortion', statutes: ['PC 518'] },
  { code: 'felony_vandalism', label: 'Felony vandalism', statutes: ['PC 594(b)(1)'] },
  { code: 'weapons_offense', label: 'Weapons offence', statutes: ['PC 25850', 'PC 29800'] },
  { code: 'narcotics_sales', label: 'Narcotics sales or transport', statutes: ['HS 11352', 'HS 11379'] },
  { code: 'hit_and_run_injury', label: 'Hit and run with injury', statutes: ['VC 20001'] },
  { code: 'dui_injury', label: 'DUI causing injury', statutes: ['VC 23153'] },
  { code: 'felony_evading', label: 'Felony evading a peace officer', statutes: ['VC 2800.2'] },
  { code: 'felony_warrant', label: 'Felony arrest warrant service', statutes: ['PC 836', 'PC 1427'] },
  { code: 'missing_person_at_risk', label: 'At-risk missing person', statutes: ['PC 14213'] },
  {
    code: 'mental_health_hold_at_risk',
    label: 'Person at risk of harm (welfare check)',
    statutes: ['WIC 5150'],
  },
];

const BY_CODE = new Map(CRIME_TYPES.map((c) => [c.code, c]));

/**
 * Look an offence up by its code (exact, as clients send it).
 * @example findCrimeType('robbery') // { code: 'robbery', label: 'Robbery', statutes: ['PC 211'] }
 */
export function findCrimeType(code: string): CrimeType | undefined {
  return BY_CODE.get(code);
}
