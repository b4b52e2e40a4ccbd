// The main pages of loa's web forms, as the flows visit them (paths, who may open them).
import { campaignPath, missingPages } from './harness.js';

// `who`: the test user that opens the page (null: signed out). `pending`, set below: the reason the
// page is not checked (its route is not in this build yet), else false.
const pages = [
  { name: 'login', path: '/login', who: null },
  { name: 'overview', path: campaignPath, who: 'admin' },
  { name: 'calendar-month', path: `${campaignPath}/calendar?view=month&date=2024-07-01`, who: 'admin' },
  { name: 'calendar-agenda', path: `${campaignPath}/calendar?view=agenda&date=2024-07-01`, who: 'admin' },
  { name: 'calendar-week', path: `${campaignPath}/calendar?view=week&date=2024-07-29`, who: 'admin' },
  { name: 'calendar-day', path: `${campaignPath}/calendar?view=day&date=2024-07-30`, who: 'admin' },
  { name: 'activity-new', path: `${campaignPath}/activities/new`, who: 'admin' },
  { name: 'activity-edit', path: `${campaignPath}/activities/police-fanpage-posts/edit`, who: 'admin' },
  { name: 'messages', path: `${campaignPath}/messages`, who: 'admin' },
  { name: 'message-new', path: `${campaignPath}/messages/new`, who: 'admin' },
  { name: 'message', path: `${campaignPath}/messages/social-online-job-offers`, who: 'admin' },
  { name: 'approvals', path: `${campaignPath}/approvals`, who: 'admin' },
  { name: 'audit', path: `${campaignPath}/audit`, who: 'admin' },
  { name: 'plan', path: `${campaignPath}/plan`, who: 'admin' },
  { name: 'account', path: '/account', who: 'admin' },
];

for (const page of pages) page.pending = await missingPages([page.path.split('?')[0]]);
export const mainPages = pages;
