// Profile 004: 久喜市の保有する個人情報の適切な管理のための措置に関する規程. One profile per file: handlers read PROFILE_ID once per process.
import { profileScenario } from '#test/support/scenario.js';

profileScenario('004');
