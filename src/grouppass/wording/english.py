"""English words for advice, problems and today's actions (keys equal to indonesian.py's)."""

from __future__ import annotations

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

TEXT: dict[str, str] = {
    "advice.on_track": (
        "Stay at {office}: the group is on time with {p_stay}, at or above the {target} target."
    ),
    "advice.staying_worth_most": (
        "Stay at {office} ({p_stay} for the group): switching to {to} today gives {p_now}, "
        "not enough to be worth what it costs."
    ),
    "advice.same_system": (
        "No better option: {to} runs on the same disrupted system ({systems}) as {office}, "
        "so switching does not escape the outage ({p_now} against {p_stay} for staying)."
    ),
    "advice.other_disrupted": (
        "No better option: {to} is disrupted too; switching gives {p_now} against {p_stay} "
        "for staying."
    ),
    "advice.no_alternative": (
        "No better option: {office} has no other office on record; staying gives {p_stay}."
    ),
    "advice.switch_gains": (
        "Switch to {to} today: the group is on time with {p_advised}, against {p_stay} if "
        "they stay at {office}; worth the {cost} it costs."
    ),
    "advice.waiting_keeps": (
        "Wait for news of {office} until {date}, and switch to {to} then if printing has not "
        "resumed: {p_wait} for the group, against {p_now} for switching today, and in "
        "{p_recovered} of cases the switch is not needed at all."
    ),
    "advice.start_here": "Apply at {office} today: the group is on time with {p_advised}.",
    "advice.start_elsewhere": (
        "Apply at {to} today, not at {office}: {p_advised} for the group against {p_stay}."
    ),
    "advice.cannot_print_here": (
        "Apply at {to} today: {office} cannot print now. {p_advised} for the group, against "
        "{p_stay} applying at {office}."
    ),
    "advice.express_gains": (
        "Ask for express service at {to} (Rp 1.000.000 each): {p_advised} for the group "
        "against {p_stay}."
    ),
    "advice.later_group_seats": (
        "Move to {group}, which has seats: in time there with {p_wait}, and the rest of this "
        "group then has {p_advised}."
    ),
    "advice.urgent_only": (
        "Late whatever else is done ({p_advised}): ask the head of {office} for urgent "
        "service; the forecast cannot count on it."
    ),
    "loss.lead": "Lost: {what}.",
    "loss.fee_paid": "the fee paid ({amount})",
    "loss.recording": "the recording already done",
    "loss.appointment": "the appointment",
    "problem.expires": (
        "The passport expires on {expires}; it must be valid until at least {needed}: "
        "apply for a new one."
    ),
    "problem.expires_applying": (
        "The passport expires on {expires}; it must be valid until at least {needed}: the "
        "new passport being applied for replaces it."
    ),
    "problem.name": (
        "The name on the passport has {words} word(s); {required} are required: apply for a "
        "new passport with a name endorsement (the father's or grandfather's name)."
    ),
    "problem.name_applying": (
        "The name on the passport has {words} word(s); {required} are required: the new "
        "passport being applied for replaces it (check it carries the name endorsement)."
    ),
    "problem.not_started": "No passport and no application yet.",
    "todo.apply": "Book and apply at {office}.",
    "todo.apply_express": "Apply at {office} with express service.",
    "todo.attend": "Go to the appointment at {office} on {date}.",
    "todo.pay": "Pay the passport fee.",
    "todo.collect": "Collect the passport at {office}.",
    "todo.renew": "Apply for a new passport: the old one expires too soon.",
    "todo.name": "Apply for a new passport with a name endorsement.",
    "todo.switch": "Start a new application at {office}.",
    "todo.wait": "Wait for news of {office} until {date}; switch if printing has not resumed.",
    "todo.move_group": "Move to {group}.",
    "todo.ask_urgent": "Ask the head of {office} for urgent service.",
    "todo.phone": "Get a phone number to reach the member.",
    "lever.stay": "Stay at {office}",
    "lever.apply": "Apply at {office}",
    "lever.switch_now": "Switch to {to} today",
    "lever.switch_by": "Wait for news until {date}, then switch to {to}",
    "lever.start_at": "Apply at {to}",
    "lever.express": "Express service at {to}",
    "lever.later_group": "Move to {group}",
    "lever.ask_urgent": "Ask {office} for urgent service",
    "lever.no_better_option": "No better option than staying at {office}",
    "cost.none": "no cost",
    "loss.fee_paid_on": "the fee paid ({amount}, {date})",
    "loss.recording_on": "the recording done on {date}",
    "loss.appointment_on": "the appointment on {date}",
    "recovery.ended": "over since {date}",
    "recovery.expected": "expected back around {p50}, and most likely before {p90}",
    "recovery.expected_same": "expected back around {p50}",
    "recovery.from.as_given": "the officials' estimate, as given",
    "recovery.from.outside_view": "no estimate was given: how long similar outages lasted",
    "recovery.from.combined": (
        "the officials' estimate, weighted {weight}, and how long similar outages lasted"
    ),
    "recovery.similar": "of {known} similar outages, {longer} lasted longer than {days} days",
    "recovery.own_estimates": "with {n} of the agency's own past estimates",
}
