import type { Migration } from '../../migrations.js';
import { m001Initial } from './001-initial.js';
import { m002Findings } from './002-findings.js';
import { m003SavedQueries } from './003-saved-queries.js';
import { m004RuleParameters } from './004-rule-parameters.js';
import { m005CustomRules } from './005-custom-rules.js';
import { m006InboxViews } from './006-inbox-views.js';
import { m007ExportRegister } from './007-export-register.js';
import { m008ForwardSecureAudit } from './008-forward-secure-audit.js';
import { m009BackupState } from './009-backup-state.js';

/** Every workspace schema step, in order. Add a numbered file per step; never edit a shipped one. */
export const WORKSPACE_MIGRATIONS: readonly Migration[] = [m001Initial, m002Findings, m003SavedQueries, m004RuleParameters, m005CustomRules, m006InboxViews, m007ExportRegister, m008ForwardSecureAudit, m009BackupState];
