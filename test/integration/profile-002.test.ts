// Profile 002: 奈良県特定個人情報の保護に関する管理規程 (references like 第5の7). One profile per file: handlers read PROFILE_ID once per process.
import { profileScenario } from '#test/support/scenario.js';

profileScenario('002');
