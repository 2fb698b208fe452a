/**
 * What each role's exports show of the people in them. Screens and files follow the same rule: ID numbers are masked
 * for everyone (the full number is a separate, audited reveal, one person at a time); names are masked for finance
 * staff, who review spending rather than people; phone numbers are always masked.
 */
import { maskIdNumber, maskName } from '../id-number.js';
import type { Role } from '../roles.js';

export interface ExportMasking {
  idNumber: 'masked';
  name: 'full' | 'masked';
  phone: 'masked';
}

export function exportMaskingFor(role: Role): ExportMasking {
  return { idNumber: 'masked', name: role === 'finance' ? 'masked' : 'full', phone: 'masked' };
}

export function applyNameMasking(name: string | null, masking: ExportMasking): string {
  if (!name) return '';
  return masking.name === 'full' ? name : maskName(name);
}

export function applyIdMasking(id: string | null): string {
  return id ? maskIdNumber(id) : '';
}
