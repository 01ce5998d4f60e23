// The deadline calculator's arithmetic (generator/js/kesu-dates.mjs): local dates, as staff type them.
import { test } from "node:test"
import assert from "node:assert/strict"

process.env.TZ = "Asia/Shanghai"  // the call centres' zone; the arithmetic itself works in any zone

const { dueDate, dueText, formatDate, monthday, nextMonthday, nextWeekday } = await import("../../generator/js/kesu-dates.mjs")

// "2026-01-31 09:00" as the datetime-local input gives it.
function at(text) {
  const [day, time = "00:00"] = text.split(" ")
  const [y, m, d] = day.split("-").map(Number), [h, min] = time.split(":").map(Number)
  return new Date(y, m - 1, d, h, min)
}

const SUNDAY = 0, MONDAY = 1, FRIDAY = 5

test("a deadline in minutes gives date and time, crossing midnight, month and year", () => {
  assert.equal(dueText({ minutes: 60 }, at("2026-03-10 23:30")), "2026-03-11 00:30")
  assert.equal(dueText({ minutes: 24 * 60 }, at("2026-02-28 10:05")), "2026-03-01 10:05")
  assert.equal(dueText({ minutes: 24 * 60 }, at("2028-02-28 10:05")), "2028-02-29 10:05")  // leap year
  assert.equal(dueText({ minutes: 15 }, at("2026-12-31 23:50")), "2027-01-01 00:05")
  assert.equal(dueText({ minutes: 7 * 24 * 60 }, at("2026-12-28 08:00")), "2027-01-04 08:00")
})

test("a monthly rhythm falls on the month's last day when the month is short", () => {
  // issue 14's bug: received 2026-01-31 with 每月30日 gave 2026-03-02.
  assert.equal(dueText({ monthday: 30 }, at("2026-01-31 10:00")), "2026-02-28")
  assert.equal(dueText({ monthday: 30 }, at("2028-01-31 10:00")), "2028-02-29")  // leap year
  assert.equal(dueText({ monthday: 31 }, at("2026-04-01 10:00")), "2026-04-30")
  assert.equal(dueText({ monthday: 31 }, at("2026-05-01 10:00")), "2026-05-31")
})

test("a monthly rhythm on the day itself, or past it, goes to the next month and over the year's end", () => {
  assert.equal(dueText({ monthday: 15 }, at("2026-06-15 09:00")), "2026-07-15")
  assert.equal(dueText({ monthday: 15 }, at("2026-06-14 23:59")), "2026-06-15")
  assert.equal(dueText({ monthday: 10 }, at("2026-12-20 09:00")), "2027-01-10")
  assert.equal(dueText({ monthday: 30 }, at("2027-01-30 09:00")), "2027-02-28")
})

test("a weekly rhythm is the next such weekday, never the day itself", () => {
  // 2026-03-06 is a Friday.
  assert.equal(dueText({ weekday: FRIDAY }, at("2026-03-06 08:00")), "2026-03-13")
  assert.equal(dueText({ weekday: MONDAY }, at("2026-03-06 08:00")), "2026-03-09")
  assert.equal(dueText({ weekday: SUNDAY }, at("2026-03-06 23:59")), "2026-03-08")
  assert.equal(dueText({ weekday: FRIDAY }, at("2026-12-31 12:00")), "2027-01-01")  // a Thursday
  assert.equal(nextWeekday(at("2028-02-27"), 2).getDate(), 29)  // Sunday -> Tuesday 29 February
})

test("without a valid received time, or without a rule, the cell shows a dash", () => {
  assert.equal(dueText({ minutes: 30 }, null), "—")
  assert.equal(dueText({ minutes: 30 }, new Date("not a date")), "—")
  assert.equal(dueText({}, at("2026-03-06 08:00")), "—")
  assert.equal(dueDate({}, at("2026-03-06 08:00")), null)
})

test("day n of a month past December is in the next year; the last day of February knows leap years", () => {
  assert.equal(formatDate(monthday(2026, 12, 5)), "2027-01-05 00:00")
  assert.equal(monthday(2100, 1, 30).getDate(), 28)  // not a leap year
  assert.equal(monthday(2000, 1, 30).getDate(), 29)  // a leap year
  assert.equal(formatDate(nextMonthday(at("2026-02-28 00:00"), 28)), "2026-03-28 00:00")
})
