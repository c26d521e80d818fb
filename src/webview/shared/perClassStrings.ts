/** The headings of a per-class metrics table, shared by the evaluation and training panels' string tables. */
export interface PerClassTableStrings {
  readonly perClass: string;
  readonly label: string;
  readonly precision: string;
  readonly recall: string;
  readonly f1: string;
  readonly support: string;
}
