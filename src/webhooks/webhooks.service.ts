import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NotFoundError, ValidationFailedError } from '../../libs/ledger/src';
import { CursorCodec, Page, PageQuery, toPage } from '../common/pagination';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { eventId } from '../events/event.presenter';
import { CreatedWebhookDto, CreateWebhookDto, DeliveryDto, DeliveryStatus, WebhookDto } from './dto/webhook.dto';
import { hostOf, publicHostsOnly, resolvePublic } from './ssrf-guard';
import type { Delivery, Webhook } from '../../libs/contract/src';

/** Every webhook is fanned out to in the relay's transaction: a bound keeps that transaction small. */
const WEBHOOKS_MAX = 100;
const SECRET_KEY_BYTES = 32;

interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  status: 'ENABLED';
  created_at: Date;
}

interface DeliveryRow {
  position: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  last_response_status: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
}

const WEBHOOK_COLUMNS = 'id, url, events, description, status, created_at';

/** Newest event first; keyset on the event's position. */
const DELIVERIES_SQL = `
  SELECT d.event_position AS position, e.type, d.status, d.attempts, d.last_response_status, d.last_error, d.next_attempt_at
    FROM webhook_deliveries d JOIN events e ON e.position = d.event_position
   WHERE d.webhook_id = $1 AND ($2::bigint IS NULL OR d.event_position < $2)
   ORDER BY d.event_position DESC LIMIT $3`;

/** Deliveries newest first: the cursor is the last one's event position (a bigint, as text). */
const DELIVERIES_CURSOR = new CursorCodec('webhook-deliveries', ['bigint']);

@Injectable()
export class WebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(body: CreateWebhookDto): Promise<CreatedWebhookDto> {
    if (body.events.includes('*') && body.events.length > 1) throw invalid('events', 'events must be ["*"] or a list of event types, not both');
    await this.checkReachable(body.url);
    const secret = `whsec_${randomBytes(SECRET_KEY_BYTES).toString('base64')}`;
    const [row]: WebhookRow[] = await this.dataSource.query(
      `INSERT INTO webhooks (url, events, description, secret)
       SELECT $1, $2, $3, $4 WHERE (SELECT count(*) FROM webhooks) < $5
       RETURNING ${WEBHOOK_COLUMNS}`,
      [body.url, body.events, body.description ?? null, secret, WEBHOOKS_MAX],
    );
    if (row === undefined) throw new ValidationFailedError(`At most ${WEBHOOKS_MAX} webhooks; delete one first`);
    return { ...presentWebhook(row), secret };
  }

  async list(): Promise<WebhookDto[]> {
    const rows: WebhookRow[] = await this.dataSource.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY created_at, id`);
    return rows.map(presentWebhook);
  }

  async remove(id: string): Promise<void> {
    const [, deleted] = await this.dataSource.query('DELETE FROM webhooks WHERE id = $1', [id]);
    if (deleted === 0) throw new NotFoundError('Webhook');
  }

  async deliveries(id: string, query: PageQuery): Promise<Page<DeliveryDto>> {
    const before = DELIVERIES_CURSOR.decode(query.cursor)?.[0] ?? null;
    const [exists] = await this.dataSource.query('SELECT 1 FROM webhooks WHERE id = $1', [id]);
    if (exists === undefined) throw new NotFoundError('Webhook');
    const rows: DeliveryRow[] = await this.dataSource.query(DELIVERIES_SQL, [id, before, query.limit + 1]);
    return toPage(rows, query.limit, presentDelivery, DELIVERIES_CURSOR, (row) => [String(row.position)]);
  }

  /** Only http(s); in production, a host resolving to a private address is refused (checked again at every send). */
  private async checkReachable(url: string): Promise<void> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid('url', 'url must be an http: or https: URL');
    if (!publicHostsOnly(this.config)) return;
    try {
      await resolvePublic(hostOf(parsed));
    } catch (error) {
      throw invalid('url', `url is not allowed: ${(error as Error).message}`);
    }
  }
}

function invalid(field: string, message: string): ValidationFailedError {
  return new ValidationFailedError(message, [{ field, message }]);
}

function presentWebhook(row: WebhookRow): Webhook {
  return { id: row.id, url: row.url, events: row.events, description: row.description, status: row.status, createdAt: row.created_at.toISOString() };
}

function presentDelivery(row: DeliveryRow): Delivery {
  return {
    eventId: eventId(row.position),
    eventType: row.type,
    status: row.status,
    attempts: row.attempts,
    lastResponseStatus: row.last_response_status,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
  };
}
