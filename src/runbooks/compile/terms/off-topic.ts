/**
 * Subjects of everyday working and private life that are never what an incident question is about: leave
 * and pay, celebrations, food, facilities, travel, health, leisure. A query naming one ("approve my
 * *holiday* request", "*lunch* options near the Dublin office") asks about that subject, whatever other
 * words it shares with the runbooks, so the search says "no good match" unless the runbooks make the word
 * one of their topics (a heading, keywords or a symptom's text: then it is theirs, not off-topic). A word
 * the runbooks only mention in passing ("no releases on public holidays") does not make it their topic.
 *
 * Written by domain, not from queries: nouns that name the subject, singular and plural. Left out on
 * purpose: words an incident report may hold about a user's situation (laptop, phone, browser, network,
 * wifi, office, meeting, email) and words with an IT sense (leave, order, match, game, train, desk, room).
 * Compiled into the artifact (`search.offTopic`).
 */

const DOMAINS: Readonly<Record<string, string>> = {
  leaveAndPay:
    'holiday holidays vacation vacations pto timesheet timesheets payroll salary salaries payslip payslips paycheck paychecks pension pensions reimbursement maternity paternity appraisal appraisals',
  celebrations:
    'birthday birthdays anniversary anniversaries wedding weddings christmas easter halloween gift gifts party parties',
  food: 'lunch lunches dinner dinners breakfast snack snacks coffee canteen cafeteria kitchen recipe recipes pizza restaurant restaurants',
  facilities:
    'printer printers parking carpark furniture chair chairs plants toilet toilets aircon extinguisher locker lockers stationery',
  travel: 'flight flights hotel hotels taxi airport passport visa offsite',
  health: 'doctor doctors dentist gym yoga insurance',
  leisure:
    'football soccer cricket rugby tennis movie movies netflix spotify playlist playlists music song songs podcast podcasts horoscope wine beer',
  home: 'landlord mortgage bike bikes bicycle car cars',
};

export const OFF_TOPIC: readonly string[] = [
  ...new Set(Object.values(DOMAINS).join(' ').split(/\s+/).filter(Boolean)),
];
