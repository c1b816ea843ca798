import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the batch worker's next chunk starts. Every row before `next_row` is SUCCEEDED or
 * FAILED, so a chunk reads its rows as one short primary-key range instead of searching the
 * PENDING rows through an index that still holds an entry for every row already paid (each
 * status change leaves one until VACUUM): that search grew with every chunk of a large batch.
 */
export class BatchNextRow1763800000000 implements MigrationInterface {
  name = 'BatchNextRow1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE batches ADD COLUMN next_row integer NOT NULL DEFAULT 1 CHECK (next_row >= 1);
      COMMENT ON COLUMN batches.next_row IS 'Rows before it are SUCCEEDED or FAILED; the worker''s next chunk starts here';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE batches DROP COLUMN next_row');
  }
}
