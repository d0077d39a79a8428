/**
 * Every action_id, callback_id and block_id prefix the bot uses, in one place. Feature modules add their
 * own constants here (additively) and never repeat an ID string elsewhere.
 */
export const ActionIds = {
  // slack: search answers. Buttons in one actions block need distinct action_ids, so "Other matches"
  // buttons are `${openSection}:${n}`, matched by `openSectionPattern`.
  shareSection: 'runbook.share',
  openSection: 'runbook.open',
  /** Link buttons ("View in repository"): Slack still sends block_actions for them; we ack and ignore. */
  viewSource: 'runbook.source',
  /** An answer's parts in place: `${answerPart}:<view>` (Summary, Diagnosis, Fix, Verify, Escalate, Show all). */
  answerPart: 'runbook.part',
  /** "Run as checklist": starts the declared checklist named by the value, as its command would. */
  runChecklist: 'runbook.run_checklist',
  /** Feedback on an answer; the value is the answer's reference (render/answer.ts `encodeAnswerRef`). */
  feedbackHelpful: 'runbook.helpful',
  feedbackNotThis: 'runbook.not_this',

  // checklists: buttons on a run's message carry `<runId>|<item id>` (see render/checklist.ts): references
  // to stored state, never authority (src/workflows/authorize.ts decides).
  checklistDone: 'checklist.done',
  /** "Done anyway…" in an ephemeral answer when a step's check held Done back: opens the override modal. */
  checklistDoneAnyway: 'checklist.done_anyway',
  checklistSkip: 'checklist.skip',
  checklistDetails: 'checklist.details',
  /** "Undo step N" button for the latest resolved step, and the "Undo a step…" select for the others. */
  checklistUndo: 'checklist.undo',
  checklistUndoPick: 'checklist.undo_pick',
  checklistApprove: 'checklist.approve',
  checklistReject: 'checklist.reject',
  checklistExport: 'checklist.export',
  /** "Cancel run…" on an active run's message: a reason modal, then the run ends as cancelled. */
  checklistCancel: 'checklist.cancel',
  /** "Take over…" in the answer to a start that found an active run: `<active runId>|live` or `|drill`. */
  checklistTakeOver: 'checklist.take_over',
  /** Modal callback_ids, and the reason input's block_id/action_id inside them. */
  checklistSkipView: 'checklist.skip_view',
  checklistRejectView: 'checklist.reject_view',
  checklistOverrideView: 'checklist.override_view',
  checklistTakeOverView: 'checklist.take_over_view',
  checklistCancelView: 'checklist.cancel_view',
  checklistReasonBlock: 'checklist.reason_block',
  checklistReasonInput: 'checklist.reason',

  // aws: status, step extensions (evidence / Route 53 action / notify / monitor) and alarms. Buttons on a
  // checklist step carry `<runId>|<step id>`; a request's Approve / Cancel / Retry carry `<runId>|<request id>`
  // (the request is stored on the run: src/workflows/requests.ts).
  awsStatusRetry: 'aws.status.retry',
  awsEvidenceCheck: 'aws.evidence.check',
  awsRoute53Execute: 'aws.route53.execute',
  awsRoute53Preview: 'aws.route53.preview',
  awsRoute53Approve: 'aws.route53.approve',
  awsRoute53Cancel: 'aws.route53.cancel',
  awsRoute53Retry: 'aws.route53.retry',
  /** "Use the record swap…" / "Swap the records back…": the control-plane fallback's own request. */
  awsFailoverFallback: 'aws.failover.fallback',
  /** "Warm up eu-west-1" / "Return to standby": one authorized click (not a two-person action). */
  awsWarmupApply: 'aws.warmup.apply',
  /** "Check again" (the failover verdict) / "Refresh status" (the warm-up): a read, recorded on the run. */
  awsStepCheck: 'aws.step.check',
  awsNotifyPost: 'aws.notify.post',
  awsMonitorCheck: 'aws.monitor.check',
  awsAlarmOpenRunbook: 'aws.alarm.open_runbook',
  awsAlarmStartFailover: 'aws.alarm.start_failover',

  // reach: approval DMs and the App Home (their Approve / Reject are the checklist's and the request's own
  // ids above, so a click there takes the same path), stakeholder updates and the all-clear. Buttons carry
  // `<runId>|` (src/slack/features/reach/).
  /** Link button to the run's message (a DM, the Home tab): Slack still sends block_actions; acked, ignored. */
  reachOpenRun: 'reach.open',
  /** "Post update…" in the reminder that a stakeholder update is due: opens the update modal. */
  reachPostUpdate: 'reach.post_update',
  reachUpdateView: 'reach.update_view',
  /** The update modal's inputs (block_id = action_id). */
  reachUpdateStatus: 'reach.update_status',
  reachUpdateChanges: 'reach.update_changes',
  reachUpdateNext: 'reach.update_next',
  /** "Post all-clear" offered when a checklist with `all-clear=` completes. */
  reachPostAllClear: 'reach.post_all_clear',

  // trees: `/runbook diagnose`. Walk buttons carry the walk state they lead to (`<tree>~<version>~<path>`,
  // see src/workflows/tree-walk.ts); answer buttons are `${treeChoose}:<n>`, matched by `treeWalkPattern`.
  treeStart: 'tree.start',
  treeChoose: 'tree.choose',
  treeBack: 'tree.back',
  treeRestart: 'tree.restart',
  /** Leaf: the section in full (value: section id); escalation leaf: post the path in the channel. */
  treeOpenSection: 'tree.open',
  treePostEscalation: 'tree.escalate',
} as const;

/**
 * Matches `runbook.part:<view>`. The suffix only keeps the buttons of one actions block distinct: the view
 * shown is read from the value (an answer reference, checked), so any short suffix is answered the same way.
 */
export const answerPartPattern = /^runbook\.part:[a-z0-9]+$/;

/** Matches `runbook.open` and `runbook.open:<n>`. */
export const openSectionPattern = /^runbook\.open(:\d+)?$/;

/** Every button that moves a decision-tree walk: `tree.choose:<n>`, `tree.back`, `tree.restart`. */
export const treeWalkPattern = /^tree\.(choose:\d+|back|restart)$/;
