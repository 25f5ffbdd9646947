import type { IncidentReader, Page, PageRequest } from '#lib/app/ports.js';
import type { Incident, IncidentStatus } from '#lib/domain/incident.js';
import { lists } from './keys.js';
import { entityStore } from './table.js';

/** 事案 reads: by id; by 年度 (all 課 or one, optionally by status); by reporter; and those not closed. */
export class DynamoIncidentStore extends entityStore('incident') implements IncidentReader {
  list(
    q: { fiscalYear: number; department?: string | undefined; status?: IncidentStatus | undefined } & PageRequest,
  ): Promise<Page<Incident>> {
    return this.query(lists.incidents(q), q, { newestFirst: true });
  }

  listReportedBy(sub: string, q: { fiscalYear: number; status?: IncidentStatus | undefined } & PageRequest): Promise<Page<Incident>> {
    return this.query(lists.incidentsReportedBy(sub, q), q, { newestFirst: true });
  }

  listOpen(page: PageRequest): Promise<Page<Incident>> {
    return this.query(lists.openIncidents(), page);
  }
}
