// Profile 003: 甲賀広域行政組合特定個人情報等管理規程. One profile per file: handlers read PROFILE_ID once per process.
import { profileScenario } from '#test/support/scenario.js';

profileScenario('003');
