/* kesu dates: the arithmetic of the deadline calculator (时限计算, /deadlines/).
 *
 * A deadline row (deadlines.md.j2) carries one rule: data-minutes (so long after the complaint is
 * received), data-weekday (the next such weekday, 0 = Sunday) or data-monthday (the next such day
 * of a month). Dates are the browser's local time, as the received time typed into the form is.
 *
 * This file is an ES module, self-contained (no imports), tested by Node (tests/js/). Pages get a
 * classic-script copy, docs/assets/kesu-dates.js (the global kesuDates), written by `kesu generate`
 * (generator/scripts.py) and loaded before assets/kesu.js: pages opened from file:// cannot load
 * modules.
 */

export function pad(n) {
  return (n < 10 ? "0" : "") + n
}

/* 2026-01-31 09:05 */
export function formatDate(d) {
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
    " " + pad(d.getHours()) + ":" + pad(d.getMinutes())
}

/* The first day after `from` that falls on weekday (0 = Sunday): never the day itself. */
export function nextWeekday(from, weekday) {
  var d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 1)
  while (d.getDay() !== weekday) d.setDate(d.getDate() + 1)
  return d
}

/* Day `day` of a month (month may run past 11 into the next year); 每月30日 in a month without a
 * 30th falls on its last day, not on the 2nd of the next month. */
export function monthday(year, month, day) {
  return new Date(year, month, Math.min(day, new Date(year, month + 1, 0).getDate()))
}

/* The first such day of a month after `from` (a received time on the day itself counts as past it). */
export function nextMonthday(from, day) {
  var d = monthday(from.getFullYear(), from.getMonth(), day)
  if (d <= from) d = monthday(from.getFullYear(), from.getMonth() + 1, day)
  return d
}

/* The due time of a rule {minutes} | {weekday} | {monthday} for a complaint received at `received`,
 * or null for a rule without any of them. */
export function dueDate(rule, received) {
  if (rule.minutes !== undefined) return new Date(received.getTime() + rule.minutes * 60000)
  if (rule.weekday !== undefined) return nextWeekday(received, rule.weekday)
  if (rule.monthday !== undefined) return nextMonthday(received, rule.monthday)
  return null
}

/* What the table's 截止 cell shows: date and time for a deadline in minutes, the date for a rhythm,
 * a dash without a valid received time. */
export function dueText(rule, received) {
  var due = received && !isNaN(received) ? dueDate(rule, received) : null
  if (!due) return "—"
  return rule.minutes !== undefined ? formatDate(due) : formatDate(due).slice(0, 10)
}
