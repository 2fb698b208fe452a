import type { Migration } from '../../migrations.js';
import { m001Team } from './001-team.js';
import { m002ExportRegister } from './002-export-register.js';
import { m003ExportApproval } from './003-export-approval.js';
import { m004AuditMirror } from './004-audit-mirror.js';
import { m005TeamMembers } from './005-team-members.js';
import { m006AuditScope } from './006-audit-scope.js';
import { m007Authorship } from './007-authorship.js';
import { m008FindingPayments } from './008-finding-payments.js';
import { m009CasePerPerson } from './009-case-per-person.js';
import { m010ParameterValues } from './010-parameter-values.js';
import { m011MonitoringWarnings } from './011-monitoring-warnings.js';
import { m012WarningAuditColumns } from './012-warning-audit-columns.js';

/** Every team-store schema step, in order. Add a numbered file per step; never edit a shipped one. */
export const TEAM_MIGRATIONS: readonly Migration[] = [m001Team, m002ExportRegister, m003ExportApproval, m004AuditMirror, m005TeamMembers, m006AuditScope, m007Authorship, m008FindingPayments, m009CasePerPerson, m010ParameterValues, m011MonitoringWarnings, m012WarningAuditColumns];
