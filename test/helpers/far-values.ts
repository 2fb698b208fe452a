/**
 * Parameter values far from the defaults, for each rule whose statement reads bases of its own (what the build derives
 * for D alone, RuleModule.bases): the tests hold a run with these values to the rule's truth, and a snapshot's stored
 * bases to ones made on the workstation. Each set must change what the rule finds on a generated district.
 */
export const FAR_VALUES: Record<string, Record<string, unknown>[]> = {
  // the illness window (one month, five years, below its least value) and the care certificates (wider, narrower)
  'R-MISSED': [{ seriousIllnessMonths: 1 }, { seriousIllnessMonths: 60, careCerts: [{ type: '*', levels: [1, 2, 3, 4] }] }, { seriousIllnessMonths: 0, careCerts: [{ type: '4', levels: [1] }] }],
  // no grace, a year's, a week's
  'R-CONSENT': [{ consentGraceDays: 0 }, { consentGraceDays: 365 }, { consentGraceDays: 7 }],
  // the shortest window and five years; 集中供养特困 left out
  // no pair (the work-injury reason alone); pairs of programmes that are held together legitimately; a default pair
  // reversed with two subsidies as a pair
  'R-MUTEX': [
    { exclusivePairs: [] },
    { exclusivePairs: [['dibao', 'disability_living'], ['dibao_edge', 'disability_care']] },
    { exclusivePairs: [['tekun', 'dibao'], ['disability_care', 'disability_living']] },
  ],
  // the illness window (one month, five years, below its least value) with the margin's multiple and the window
  'R-SINGLE': [{ seriousIllnessMonths: 1 }, { seriousIllnessMonths: 60, edgeMultiple: 3 }, { seriousIllnessMonths: 0, incomeMonths: 3 }],
  // the cap and the township limit at one month and a year's; splits over a day and over a year
  'R-LINSHI': [
    { linshiCapMonths: 1, linshiTownshipLimitMonths: 1 },
    { linshiCapMonths: 12, linshiTownshipLimitMonths: 12, linshiSplitDays: 365 },
    { linshiSplitDays: 1 },
  ],
  // the ages, the care levels and the lists far from the defaults
  'R-ATTR': [
    { childMaxAge: 10, careMaxLevel: 1 },
    { childMaxAge: 25, childStudyExemptCategories: [], tekunWorkingAgeFrom: 30, tekunWorkingAgeTo: 40 },
    { careMaxLevel: 4, tekunUnableToWorkCerts: [{ type: '*', levels: [1, 2, 3, 4] }] },
  ],
  // the cycles at a month and five years; every certificate of every type and level makes a member unable to work (so no
  // household is "working")
  'R-REVIEW': [
    { reviewMonths: 1, reviewMonthsWorking: 1 },
    { reviewMonths: 60, reviewMonthsWorking: 3 },
    { reviewMonthsWorking: 1, tekunUnableToWorkCerts: [{ type: '*', levels: [1, 2, 3, 4] }] },
  ],
  'R-ALIVE': [{ aliveMonths: 1 }, { aliveMonths: 60 }, { aliveMonths: 6, aliveExcludeInstitutional: true }],
};
