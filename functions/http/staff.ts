// adapter → lib/app/staff (use cases) → lib/domain/staff, staff-import (職員名簿, 事務取扱担当者)
import { api } from '#lib/http/operations/staff.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

export const handler = httpFunction(api, { table });
