/**
 * For bench/libraries.ts: one valid and one invalid input for each request schema it
 * measures (the names of bench/support/zod-mini-schemas.ts's `schemas`). The invalid ones
 * break rules with the domain's own messages and rules that answer in zod's Japanese locale
 * (unknown keys, lengths without a message of their own).
 */

const ulid = '01HZY3Q9M8V5K2J7T4N6R0P1XW';

export const validSamples: Record<string, unknown> = {
  createPlan: {
    fiscalYear: 2026,
    purpose: '個人情報の取扱状況を確認する',
    scope: '全課の保有個人情報',
    auditedDepartments: ['soumu', 'dx-senryaku'],
    methods: ['document', 'onSite'],
    schedule: { from: '2026-06-01', to: '2026-06-30', byDepartment: [{ department: 'soumu', from: '2026-06-01', to: '2026-06-10' }] },
    team: [{ role: 'auditLead', userId: 'user-1' }],
    criteria: '個人情報の保護に関する法律',
  },
  updatePlan: { purpose: '  目的を改める  ', team: [] },
  createFinding: {
    department: 'soumu',
    article: '第17条第1項',
    rating: 'minor',
    title: '書庫の鍵の管理',
    observation: '書庫の鍵の貸出記録がなかった。',
    evidenceIds: [ulid],
    record: { type: 'staffRegister', department: 'soumu', asOf: '2026-06-05' },
  },
  createAction: { description: '鍵の貸出簿を備える', dueDate: '2026-09-30' },
  createEvidence: {
    target: { type: 'finding', id: ulid },
    fileName: '書庫の写真.jpg',
    contentType: ' IMAGE/JPEG ',
    size: 123_456,
    sha256: 'AB'.repeat(32),
    capturedAt: '2026-06-05T10:00:00+09:00',
  },
  listActionsQuery: { department: 'soumu', status: 'open', overdue: 'true', limit: '50' },
  getActionParams: { actionId: ulid },
};

export const invalidSamples: Record<string, unknown> = {
  createPlan: {
    fiscalYear: 2026.5,
    purpose: ' ',
    scope: 1,
    auditedDepartments: ['soumu', 'soumu', '課'],
    methods: ['phone'],
    schedule: { from: '2026-06-30', to: '2026-02-30', extra: true },
    team: [{ role: 'auditLead', userId: 'u'.repeat(129) }],
    note: '未知の項目',
  },
  updatePlan: {},
  createFinding: {
    department: 'soumu',
    article: { article: 0, clause: 1 },
    rating: 'bad',
    title: '',
    observation: 'x',
    evidenceIds: ['not-an-id'],
    record: { type: 'other' },
  },
  createAction: { description: 'x'.repeat(2001), dueDate: '2026-02-30' },
  createEvidence: {
    target: { type: 'report', id: 'bad' },
    fileName: 'a/b.jpg',
    contentType: '',
    size: 0,
    sha256: 'xyz',
    capturedAt: 'yesterday',
  },
  listActionsQuery: { department: '!', status: 'done', overdue: 'yes', limit: '0', cursor: '' },
  getActionParams: { actionId: 'x' },
};
