/** The activity header that carries a purchase's or batch's batch id from the workflow to the activity's log lines. */
export const BATCH_ID_HEADER = 'dcp-batch-id';
