// Profile 001: 郡山市保有個人情報等の取扱基準. One profile per file: handlers read PROFILE_ID once per process.
import { profileScenario } from '#test/support/scenario.js';

profileScenario('001');
