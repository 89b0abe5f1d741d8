/**
 * The activities of stored pages (src/shared/stored-pages.ts): whether a page's owner has ended, and, for
 * workflows, which cannot reach the Temporal client themselves, writing and reading pages.
 */
import { Context } from '@temporalio/activity';
import { ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { readPage, storePage } from '../page-store/page-store';
import type { PageOwner, StoredList } from '../shared/stored-pages';

export function createStoredPageActivities() {
  return {
    /**
     * Whether the owner can no longer read its pages: a workflow that has closed, a schedule that was deleted. An
     * owner not known (yet) counts as gone only after the grace: a batch's input is written before the batch starts.
     */
    async ownerGone(input: { owner: PageOwner; graceUntil: number }): Promise<boolean> {
      const temporal = Context.current().client;
      try {
        if (input.owner.kind === 'schedule') {
          await temporal.schedule.getHandle(input.owner.id).describe();
          return false;
        }
        const { status } = await temporal.workflow.getHandle(input.owner.id).describe();
        return status.name !== 'RUNNING';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || err instanceof ScheduleNotFoundError) {
          return Date.now() > input.graceUntil;
        }
        throw err;
      }
    },

    /** Writes one page of a list (a batch's report, a page at a time). */
    async storePage(input: {
      taskQueue: string;
      list: Pick<StoredList, 'owner' | 'name'>;
      page: number;
      values: unknown[];
    }): Promise<void> {
      await storePage(Context.current().client, input.taskQueue, input.list, input.page, input.values);
    },

    /** Reads one page of a list. */
    async readStoredPage(input: { list: StoredList; page: number }): Promise<unknown[]> {
      return readPage(Context.current().client, input.list, input.page);
    },
  };
}
