"""The demo curriculum: an orientation module and the nine skill modules (for ``seed_demo``).

Written as an L&D team would write it, around the situations our employees meet: customer
service replies, recruitment screening, compliance checks. Helpers keep the block data short.
"""


def text(html: str) -> tuple:
    return ("text", html)


def callout(kind: str, title: str, body: str) -> tuple:
    return ("callout", {"kind": kind, "title": title, "body": body})


def ai(title: str, prompt: str, output: str, verdict: str, notes: list[tuple]) -> tuple:
    return (
        "ai_example",
        {
            "title": title,
            "prompt": prompt,
            "output": output,
            "verdict": verdict,
            "annotations": [
                {"quote": quote, "category": category, "comment": comment}
                for quote, category, comment in notes
            ],
        },
    )


def quiz(questions: list[tuple], *, title="Check your understanding", pass_mark=70) -> tuple:
    """``questions``: (question, kind, [(option, correct, feedback), ...])."""
    return (
        "quiz",
        {
            "title": title,
            "intro": "",
            "pass_mark": pass_mark,
            "questions": [
                {
                    "question": question,
                    "kind": kind,
                    "options": [
                        {"text": option, "correct": correct, "feedback": feedback}
                        for option, correct, feedback in options
                    ],
                }
                for question, kind, options in questions
            ],
        },
    )


def reflect(prompt: str, guidance: str = "") -> tuple:
    return ("reflection", {"prompt": prompt, "guidance": guidance})


def takeaways(*items: str) -> tuple:
    return ("key_takeaways", {"title": "Key takeaways", "items": list(items)})


# (slug, title, skill slug or None, level, minutes, points, summary, lessons)
# lesson: (slug, title, minutes, summary, body)
MODULES = [
    (
        "mentoring-ai",
        "Mentoring AI: observe, correct, add context, test, reflect",
        None,
        "introductory",
        25,
        30,
        "How Apprentice works and why it matters: you are the expert the AI learns from. "
        "Walk through the five steps of the mentoring loop with a real customer-service reply.",
        [
            (
                "why-mentor-ai",
                "Why our AI needs mentors",
                8,
                "AI drafts a lot of our everyday writing. You know what it cannot know.",
                [
                    text(
                        "<p>Across the company, AI assistants now draft first replies to "
                        "customers, summarise candidate CVs for recruiters and pre-check "
                        "supplier documents for Compliance. They are fast and usually fluent. "
                        "They are also confidently wrong often enough to hurt a customer, a "
                        "candidate or our licence.</p>"
                        "<p>The people who notice are you: the adviser who knows the refund "
                        "rule changed in March, the recruiter who knows a gap in a CV is not a "
                        "red flag, the analyst who knows which regulator cares about what. "
                        "<b>Reverse mentoring</b> means turning that knowledge into teaching: "
                        "every flag, correction, piece of context and tricky test you give "
                        "the AI becomes data that makes the next version better.</p>"
                    ),
                    callout(
                        "tip",
                        "What you get out of it",
                        "<p>Mentoring an AI sharpens your own judgement: you learn to read "
                        "any output, human or machine, as a draft to be checked. Points, "
                        "badges and your team's place in challenge weeks recognise it.</p>",
                    ),
                    takeaways(
                        "AI output is a draft; you are the reviewer with the context.",
                        "What you teach is kept and used to improve the AI.",
                        "Mentoring builds nine skills, from critical thinking to adaptability.",
                    ),
                ],
            ),
            (
                "the-five-steps",
                "The five steps of the mentoring loop",
                10,
                "Observe, correct, add context, test, reflect: one refund reply, five steps.",
                [
                    text(
                        "<p>Every challenge walks you through the same loop. Here it is on a "
                        "reply our customer-care assistant drafted last month.</p>"
                    ),
                    ai(
                        "A refund reply, before mentoring",
                        "Customer: I was charged twice for my March order and I want my money "
                        "back today. Draft a reply.",
                        "Dear customer, duplicate charges are usually bank errors, so please "
                        "contact your bank. Refunds take 30 working days. We apologise for "
                        "any inconvenience.",
                        "flawed",
                        [
                            (
                                "duplicate charges are usually bank errors",
                                "factual",
                                "Observe: our payment log shows the double charge was ours.",
                            ),
                            (
                                "Refunds take 30 working days",
                                "compliance",
                                "Context: our policy is 5 working days for duplicate charges.",
                            ),
                            (
                                "We apologise for any inconvenience",
                                "tone",
                                "Correct: a stock phrase that sounds dismissive to an "
                                "upset customer.",
                            ),
                        ],
                    ),
                    text(
                        "<ol><li><b>Observe</b>: highlight what is wrong and tag it (factual, "
                        "tone, compliance…).</li><li><b>Correct</b>: rewrite the reply and "
                        "explain why your version is better.</li><li><b>Add context</b>: "
                        "write down the rule the AI lacked, e.g. the 5-day duplicate-charge "
                        "refund.</li><li><b>Test</b>: write a tricky input (a customer "
                        "charged three times, in another currency) and say what a good "
                        "answer must do.</li><li><b>Reflect</b>: what changed, what still "
                        "worries you, a tip for colleagues.</li></ol>"
                    ),
                    quiz(
                        [
                            (
                                "You know the refund policy changed to 5 working days. Which "
                                "step captures that for the AI?",
                                "single",
                                [
                                    (
                                        "Observe",
                                        False,
                                        "Observing marks the wrong sentence; the rule itself "
                                        "belongs somewhere the AI can learn it.",
                                    ),
                                    (
                                        "Add context",
                                        True,
                                        "Right: context notes capture policies and unwritten "
                                        "rules the AI cannot see.",
                                    ),
                                    (
                                        "Reflect",
                                        False,
                                        "Reflection is about what you learnt, not the rule.",
                                    ),
                                ],
                            ),
                            (
                                "Which of these are good test inputs for the refund reply?",
                                "multiple",
                                [
                                    (
                                        "A customer charged three times in euros",
                                        True,
                                        "Yes: an edge case the AI has probably not seen.",
                                    ),
                                    (
                                        "A customer asking politely about a single charge",
                                        False,
                                        "That is the easy case; tests should probe weak spots.",
                                    ),
                                    (
                                        "An angry customer who threatens to post on social media",
                                        True,
                                        "Yes: it tests tone under pressure.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "points-and-privacy",
                "Points, teams and what we keep",
                7,
                "How points are earned, how team weeks work, and what happens to your input.",
                [
                    text(
                        "<p>You earn points for completing lessons and modules, for accurate "
                        "flags, for corrections peers rate highly, for context L&amp;D "
                        "approves and for tests that find a blind spot. Points are awarded "
                        "once per piece of work, however many times a page is submitted.</p>"
                        "<p>In a <b>challenge week</b> your points also count for your team. "
                        "Team scores are shown both as a total and per active member, so a "
                        "small team can win.</p>"
                    ),
                    callout(
                        "policy",
                        "What we keep, and what stays private",
                        "<p>Flags, corrections, context notes and tests are exported for "
                        "training with a pseudonymous id, never your name. Your reflection "
                        "answers in lessons are private: only you can read them; L&amp;D "
                        "sees only how many were written. Never paste customer or candidate "
                        "personal data into a challenge.</p>",
                    ),
                    reflect(
                        "Think of one AI-drafted text you saw at work this month. What would "
                        "you have flagged?",
                        "A sentence or two is enough. Only you will see this.",
                    ),
                ],
            ),
        ],
    ),
    (
        "critical-thinking-ai-output",
        "Critical thinking: reading AI output like a reviewer",
        "critical-thinking",
        "introductory",
        45,
        60,
        "Spot unsupported claims, invented sources and faulty logic in AI drafts before they "
        "reach a customer, a candidate or a regulator.",
        [
            (
                "fluent-is-not-true",
                "Fluent is not the same as true",
                10,
                "Why confident AI text deserves the same scrutiny as a new colleague's draft.",
                [
                    text(
                        "<p>Language models are trained to produce the most plausible next "
                        "words, not to check facts. The result reads smoothly whether or not "
                        "it is right. The habit to build: for every claim that matters, ask "
                        "<i>how would I know this is true?</i></p>"
                    ),
                    ai(
                        "A policy answer with an invented source",
                        "What is our policy on refunds for damaged goods reported after 30 days?",
                        "Under Section 14.2 of the Customer Charter, damaged goods reported "
                        "after 30 days are not eligible for a refund. Customers may be "
                        "offered a 10% voucher at the agent's discretion.",
                        "flawed",
                        [
                            (
                                "Section 14.2 of the Customer Charter",
                                "factual",
                                "The Charter has 9 sections. A precise-looking reference is "
                                "not evidence.",
                            ),
                            (
                                "not eligible for a refund",
                                "compliance",
                                "Consumer law allows claims for faults present at delivery "
                                "well beyond 30 days.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "An AI answer cites a section number you cannot find. What "
                                "do you do first?",
                                "single",
                                [
                                    (
                                        "Use it: the AI must have read it somewhere",
                                        False,
                                        "Invented citations are one of the commonest AI errors.",
                                    ),
                                    (
                                        "Check the source document before relying on it",
                                        True,
                                        "Right: verify, then flag it as a hallucination if it "
                                        "does not exist.",
                                    ),
                                    (
                                        "Ask the AI whether it is sure",
                                        False,
                                        "The AI will often confirm its own invention.",
                                    ),
                                ],
                            ),
                            (
                                "Which are warning signs in an AI answer?",
                                "multiple",
                                [
                                    (
                                        "Very precise figures with no source",
                                        True,
                                        "Yes: precision is easy to generate.",
                                    ),
                                    (
                                        "A clear structure with headings",
                                        False,
                                        "Structure says nothing about accuracy.",
                                    ),
                                    (
                                        "A named policy or law you have never heard of",
                                        True,
                                        "Yes: check that it exists and says that.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "checking-claims",
                "Checking claims against sources",
                12,
                "A quick routine for verifying the claims that matter in a compliance check.",
                [
                    text(
                        "<p>You cannot check every sentence. Check the ones that would cause "
                        "harm if wrong: amounts, deadlines, legal or policy statements, and "
                        "anything about a named person. A three-step routine works for most "
                        "compliance checks:</p><ol><li>Underline each claim that would "
                        "change a decision.</li><li>Find the primary source (policy, "
                        "contract, system record), not another summary.</li><li>Mark each "
                        "claim as confirmed, wrong or unverifiable, and say which.</li></ol>"
                    ),
                    ai(
                        "A supplier check summary",
                        "Summarise whether Northwind Logistics passes our supplier due diligence.",
                        "Northwind Logistics passes due diligence. Its ISO 27001 "
                        "certificate is valid until 2027 and it has no sanctions hits. The "
                        "director, J. Alvarez, has 20 years of experience.",
                        "mixed",
                        [
                            (
                                "ISO 27001 certificate is valid until 2027",
                                "factual",
                                "The uploaded certificate expired last year. Always open the "
                                "document.",
                            ),
                            (
                                "it has no sanctions hits",
                                "good",
                                "Confirmed against the screening report attached to the file.",
                            ),
                            (
                                "has 20 years of experience",
                                "context",
                                "Irrelevant to due diligence and unverified; leave it out.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "Which claim in a supplier summary should you verify first?",
                                "single",
                                [
                                    (
                                        "The certificate expiry date",
                                        True,
                                        "Right: it decides whether the supplier passes.",
                                    ),
                                    (
                                        "The company's founding year",
                                        False,
                                        "Nice to know; it changes no decision.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "faulty-reasoning",
                "Faulty reasoning and missing steps",
                10,
                "When every fact is right but the conclusion does not follow.",
                [
                    text(
                        "<p>An AI can get each fact right and still reach the wrong "
                        "conclusion: it generalises from one case, confuses correlation "
                        "with cause, or skips a step a human reviewer would take. In "
                        "recruitment this shows up as confident recommendations built on "
                        "thin evidence.</p>"
                    ),
                    ai(
                        "A screening recommendation",
                        "Based on the CV, should we shortlist this applicant for the data "
                        "analyst role?",
                        "Do not shortlist. The applicant changed jobs three times in four "
                        "years, which shows a lack of commitment, so they will likely leave "
                        "within a year.",
                        "flawed",
                        [
                            (
                                "which shows a lack of commitment",
                                "bias",
                                "An assumption, not evidence: contract roles and "
                                "restructures explain many moves.",
                            ),
                            (
                                "so they will likely leave within a year",
                                "factual",
                                "A prediction with no basis in the CV.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "What is wrong with “changed jobs three times, so will leave "
                                "within a year”?",
                                "single",
                                [
                                    (
                                        "It draws a conclusion the evidence does not support",
                                        True,
                                        "Right: the job moves are facts, the prediction is not.",
                                    ),
                                    (
                                        "Nothing: job history predicts tenure",
                                        False,
                                        "Not reliably, and using it this way can be unfair.",
                                    ),
                                ],
                            ),
                            (
                                "Which questions help test an AI's reasoning?",
                                "multiple",
                                [
                                    (
                                        "What evidence supports this conclusion?",
                                        True,
                                        "Yes.",
                                    ),
                                    (
                                        "What else could explain the same facts?",
                                        True,
                                        "Yes: alternative explanations expose leaps.",
                                    ),
                                    (
                                        "Is the answer long enough?",
                                        False,
                                        "Length is not quality.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "your-review-habit",
                "Building your review habit",
                8,
                "Make critical reading quick enough to do every time.",
                [
                    callout(
                        "tip",
                        "The 60-second review",
                        "<ul><li>Who will read this, and what could go wrong for them?</li>"
                        "<li>Which claims would change a decision? Check those.</li><li>Does "
                        "the conclusion follow from the facts?</li><li>What is missing that "
                        "you know and the AI does not?</li></ul>",
                    ),
                    quiz(
                        [
                            (
                                "You have two minutes before sending an AI-drafted reply. "
                                "What do you check?",
                                "single",
                                [
                                    (
                                        "Spelling and formatting",
                                        False,
                                        "The AI is good at those; the risk is elsewhere.",
                                    ),
                                    (
                                        "The claims that would change the customer's decision",
                                        True,
                                        "Right: amounts, deadlines, policy statements.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                    reflect(
                        "Describe a time you (or a colleague) almost relied on a confident "
                        "but wrong answer. What would have caught it?",
                        "Think about the check that would have taken the least time.",
                    ),
                    takeaways(
                        "Check the claims that change decisions, against primary sources.",
                        "Precise-looking references are not evidence.",
                        "Right facts can still lead to a wrong conclusion.",
                    ),
                ],
            ),
        ],
    ),
    (
        "prompt-engineering-at-work",
        "Prompt engineering: asking AI for what you actually need",
        "prompt-engineering",
        "introductory",
        45,
        60,
        "Write prompts with a role, context, constraints and a format, so the first draft is "
        "closer to usable and easier to check.",
        [
            (
                "anatomy-of-a-prompt",
                "The anatomy of a good prompt",
                10,
                "Role, task, context, constraints, format: what each part does.",
                [
                    text(
                        "<p>Most weak AI output starts with a weak prompt. A useful prompt "
                        "tells the AI five things: <b>who it is writing as</b>, <b>what the "
                        "task is</b>, <b>the context it cannot know</b>, <b>the "
                        "constraints</b> (policy, length, tone) and <b>the format</b> you "
                        "want back.</p>"
                    ),
                    ai(
                        "A vague prompt and what it produced",
                        "Write an email to a customer about their delay.",
                        "Dear Customer, We regret to inform you that your order has been "
                        "delayed due to unforeseen circumstances. We will update you soon.",
                        "flawed",
                        [
                            (
                                "unforeseen circumstances",
                                "context",
                                "The AI was not told the cause (a carrier strike) so it "
                                "invented a vague one.",
                            ),
                            (
                                "We will update you soon",
                                "tone",
                                "No date, no action: the customer will call us anyway.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "Which parts were missing from “Write an email to a customer "
                                "about their delay”?",
                                "multiple",
                                [
                                    ("The cause and new delivery date", True, "Yes: context."),
                                    (
                                        "The tone and length we want",
                                        True,
                                        "Yes: constraints.",
                                    ),
                                    (
                                        "The word 'email'",
                                        False,
                                        "That part was there; the rest was not.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "context-and-constraints",
                "Giving context and constraints",
                12,
                "Say what the AI cannot know, and the rules it must follow.",
                [
                    ai(
                        "The same email, with a better prompt",
                        "You are a customer-care adviser at our company. Write a reply to "
                        "Ms Patel, whose order #4471 is 4 days late because of a carrier "
                        "strike. New delivery date: Friday. Our policy: refund delivery "
                        "fees for delays over 3 days. Warm, plain English, under 120 "
                        "words, no stock apologies.",
                        "Dear Ms Patel, I'm sorry your order #4471 is running late: a strike "
                        "at our delivery partner held it up. It is now on its way and will "
                        "arrive on Friday. Because it is more than three days late, I have "
                        "refunded your delivery fee. If Friday doesn't suit you, reply and "
                        "I'll rearrange it. Best wishes, Sam",
                        "good",
                        [
                            (
                                "a strike at our delivery partner held it up",
                                "good",
                                "A real cause, stated plainly, because the prompt gave it.",
                            ),
                            (
                                "I have refunded your delivery fee",
                                "good",
                                "The policy was in the prompt, so the AI applied it.",
                            ),
                        ],
                    ),
                    callout(
                        "policy",
                        "Never paste personal data you don't need",
                        "<p>Order numbers and first names are fine in our approved AI tool. "
                        "Bank details, health information and full addresses are not: "
                        'describe them instead ("the customer\'s bank account").</p>',
                    ),
                    quiz(
                        [
                            (
                                "Which details belong in the prompt for a customer reply?",
                                "multiple",
                                [
                                    (
                                        "The policy that applies",
                                        True,
                                        "Yes: the AI cannot guess our policies.",
                                    ),
                                    (
                                        "The customer's card number",
                                        False,
                                        "Never: it is not needed and must not be shared.",
                                    ),
                                    ("The tone and length", True, "Yes."),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "iterating",
                "Iterating: improving a draft in two or three turns",
                10,
                "Ask for changes precisely instead of starting over.",
                [
                    text(
                        "<p>The first answer is rarely the one you send. Point at what to "
                        'change ("the second paragraph is too formal; cut it to two '
                        'sentences") rather than "make it better". Ask the AI to list its '
                        "assumptions; it is often the quickest way to find the missing "
                        "context.</p>"
                    ),
                    ai(
                        "Asking the AI to show its assumptions",
                        "Before you rewrite the job advert, list the assumptions you made "
                        "about the role.",
                        "Assumptions: 1) The role is full-time. 2) A degree is required. "
                        "3) The candidate must be under 35 to fit the team culture.",
                        "flawed",
                        [
                            (
                                "A degree is required",
                                "context",
                                "Our data roles accept equivalent experience; correct it.",
                            ),
                            (
                                "must be under 35 to fit the team culture",
                                "bias",
                                "Age discrimination. Listing assumptions surfaced it before "
                                "it reached the advert.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "The draft is too formal. What is the best follow-up prompt?",
                                "single",
                                [
                                    ("Make it better.", False, "Too vague to act on."),
                                    (
                                        "Rewrite the second paragraph in plain, friendly "
                                        "English, in two sentences.",
                                        True,
                                        "Right: precise about what and how.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "prompts-as-tests",
                "Prompts as tests: finding the AI's blind spots",
                10,
                "Write tricky inputs that show where the AI fails, for step 4 of the loop.",
                [
                    text(
                        "<p>In challenges you write <b>test cases</b>: an input and what a "
                        "good answer must or must not do. Good tests are realistic and "
                        "aimed at a weakness: a customer who mixes two complaints, a CV in "
                        "a non-standard format, a policy question with an exception.</p>"
                    ),
                    quiz(
                        [
                            (
                                "Which is the strongest test input for the refund assistant?",
                                "single",
                                [
                                    (
                                        "“Can I have a refund?”",
                                        False,
                                        "Too easy: every version handles it.",
                                    ),
                                    (
                                        "“I returned one of two items from a gift order paid "
                                        "with a voucher; refund it to my card.”",
                                        True,
                                        "Right: partial return, gift, voucher: three rules at "
                                        "once.",
                                    ),
                                ],
                            ),
                            (
                                "A good test case states…",
                                "multiple",
                                [
                                    ("The input", True, "Yes."),
                                    ("What a good answer must do", True, "Yes."),
                                    (
                                        "The exact wording the AI must use",
                                        False,
                                        "Too strict: test behaviour, not wording.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                    reflect(
                        "Write a prompt you use (or could use) in your job, then improve it "
                        "using role, context, constraints and format. What changed?",
                        "Leave out any personal data.",
                    ),
                    takeaways(
                        "Role, task, context, constraints, format.",
                        "Give the AI the policy; it cannot guess it.",
                        "Iterate precisely; ask for assumptions.",
                        "Tests target weaknesses, and check behaviour, not wording.",
                    ),
                ],
            ),
        ],
    ),
    (
        "ethical-awareness-fair-safe",
        "Ethical awareness: fairness, privacy and safety",
        "ethical-awareness",
        "intermediate",
        50,
        70,
        "Recognise bias, privacy risks and unsafe advice in AI output, and know when to stop "
        "and escalate.",
        [
            (
                "bias-in-screening",
                "Bias in recruitment screening",
                12,
                "How AI screening can disadvantage people, and what a fair summary looks like.",
                [
                    text(
                        "<p>AI trained on past hiring decisions can learn past unfairness: "
                        "penalising career gaps (often caring responsibilities), non-UK "
                        "universities, or names. Under the Equality Act, protected "
                        "characteristics such as age, sex, race, disability and pregnancy "
                        "must play no part in a screening decision.</p>"
                    ),
                    ai(
                        "A biased CV summary",
                        "Summarise this applicant's suitability for the customer team lead role.",
                        "Strong experience leading a team of 8. However, there is an 18-month "
                        "gap in 2022-23, likely maternity leave, which may affect "
                        "availability. Recommend: reserve list.",
                        "flawed",
                        [
                            (
                                "likely maternity leave, which may affect availability",
                                "bias",
                                "Speculation about pregnancy and availability: unlawful to "
                                "consider.",
                            ),
                            (
                                "Strong experience leading a team of 8",
                                "good",
                                "Job-relevant evidence; this is what the summary should weigh.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "What should a screening summary do with a career gap?",
                                "single",
                                [
                                    (
                                        "Guess the reason and weigh it",
                                        False,
                                        "Guessing invites bias, often about protected traits.",
                                    ),
                                    (
                                        "Leave it out unless the role's requirements make it "
                                        "relevant",
                                        True,
                                        "Right: assess job-relevant evidence only.",
                                    ),
                                ],
                            ),
                            (
                                "Which are protected characteristics under the Equality Act?",
                                "multiple",
                                [
                                    ("Age", True, "Yes."),
                                    ("Pregnancy and maternity", True, "Yes."),
                                    ("Years of experience", False, "A job-relevant factor."),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "privacy-and-personal-data",
                "Privacy and personal data",
                12,
                "What must never go into a prompt, and what to do when AI output leaks it.",
                [
                    callout(
                        "policy",
                        "Data protection rule",
                        "<p>Only share the minimum personal data a task needs, and only in "
                        "approved tools. Special-category data (health, religion, "
                        "sexuality, union membership, criminal records) never goes into an "
                        "AI prompt.</p>",
                    ),
                    ai(
                        "A reply that reveals too much",
                        "Draft a reply to Mr Okoro asking why his claim is delayed.",
                        "Dear Mr Okoro, your claim is delayed because our fraud team flagged "
                        "your account after your previous claim in 2021 and your recent "
                        "change of address to 14 Elm Road.",
                        "flawed",
                        [
                            (
                                "our fraud team flagged your account",
                                "privacy",
                                "Internal fraud checks must never be disclosed to the customer.",
                            ),
                            (
                                "14 Elm Road",
                                "privacy",
                                "Repeating an address adds risk and no value.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "Which of these may you paste into the approved AI tool?",
                                "multiple",
                                [
                                    (
                                        "An order number and the customer's first name",
                                        True,
                                        "Yes: minimal and needed.",
                                    ),
                                    (
                                        "A sick note explaining a late payment",
                                        False,
                                        "Health data: special category, never in a prompt.",
                                    ),
                                    (
                                        "A summary of our refund policy",
                                        True,
                                        "Yes: it is not personal data.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "unsafe-advice",
                "Unsafe or harmful advice",
                10,
                "When an AI answer could hurt someone, and how to escalate.",
                [
                    text(
                        "<p>Some answers are not just wrong but dangerous: financial advice "
                        "to a vulnerable customer, instructions that bypass a safety "
                        "control, or a reply that ignores signs of distress. These need a "
                        "person, not a better prompt.</p>"
                    ),
                    ai(
                        "Missing signs of vulnerability",
                        "Customer: I can't pay this bill, I've lost my job and honestly I "
                        "don't see the point of anything any more. Draft a reply.",
                        "We understand times are hard. You can set up a payment plan online "
                        "in our app under Billing > Plans.",
                        "flawed",
                        [
                            (
                                "We understand times are hard.",
                                "context",
                                "The customer said they lost their job: a vulnerability "
                                "marker. Our policy requires offering the specialist support "
                                "team, not a generic line.",
                            ),
                            (
                                "You can set up a payment plan online",
                                "unsafe",
                                "The reply ignores a possible risk to the customer's "
                                "wellbeing; escalate to a person now.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "A customer's message suggests they may be at risk. What do "
                                "you do?",
                                "single",
                                [
                                    (
                                        "Improve the AI draft's tone and send it",
                                        False,
                                        "This needs a trained person, not a better draft.",
                                    ),
                                    (
                                        "Follow the vulnerable-customer procedure and hand over "
                                        "to the support team",
                                        True,
                                        "Right: people first, then flag the AI's miss.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "speaking-up",
                "Speaking up and escalating",
                8,
                "Your flags are how the AI, and our processes, get safer.",
                [
                    text(
                        "<p>If AI output looks unfair, leaks data or could cause harm, stop "
                        "and flag it, even if you are not sure. Use the challenge flags for "
                        "training data, and tell your manager or the Risk &amp; Compliance "
                        "team when a real customer or candidate was affected.</p>"
                    ),
                    quiz(
                        [
                            (
                                "You are not sure whether an AI summary is biased. What do you do?",
                                "single",
                                [
                                    (
                                        "Nothing: better not to make a fuss",
                                        False,
                                        "Unflagged issues repeat at scale.",
                                    ),
                                    (
                                        "Flag it and explain your doubt",
                                        True,
                                        "Right: reviewers and L&D can judge it together.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                    reflect(
                        "Where in your own work could an AI decision be unfair to someone? "
                        "What check would you add?",
                        "Think about recruitment, credit, complaints or scheduling.",
                    ),
                    takeaways(
                        "Protected characteristics play no part in decisions.",
                        "Minimum personal data; never special-category data in prompts.",
                        "Possible harm means a person takes over, now.",
                        "When in doubt, flag it.",
                    ),
                ],
            ),
        ],
    ),
    (
        "data-literacy-numbers",
        "Data literacy: numbers an AI gets wrong",
        "data-literacy",
        "introductory",
        25,
        40,
        "Check percentages, totals and trends in AI summaries of reports and dashboards.",
        [
            (
                "checking-numbers",
                "Checking the numbers",
                12,
                "Totals, percentages and rounding: quick sanity checks.",
                [
                    ai(
                        "A complaint summary with a maths error",
                        "Summarise last month's complaints from the attached table.",
                        "We received 240 complaints, up 50% from 200 last month. Delivery "
                        "issues made up 120, or a third of the total.",
                        "flawed",
                        [
                            (
                                "up 50% from 200",
                                "factual",
                                "240 is 20% more than 200, not 50%.",
                            ),
                            (
                                "120, or a third of the total",
                                "factual",
                                "120 of 240 is half.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "Complaints went from 200 to 240. By how much did they rise?",
                                "single",
                                [
                                    ("20%", True, "Right: 40 more on a base of 200."),
                                    ("40%", False, "That is the count, not the percentage."),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "trends-and-samples",
                "Trends, samples and what they can't tell you",
                10,
                "A week is not a trend; a survey of 12 is not the whole customer base.",
                [
                    text(
                        "<p>AI summaries love the word <i>trend</i>. Ask: over how long? "
                        "Compared with what? How many cases? A rise from 3 to 6 escalations "
                        'is "doubling" but may be noise.</p>'
                    ),
                    reflect("Which figure in your team's reports would you most like to check?"),
                    takeaways(
                        "Recalculate percentages that matter.",
                        "Ask for the base, the period and the sample size.",
                    ),
                ],
            ),
        ],
    ),
    (
        "communication-tone",
        "Communication: tone and empathy in AI drafts",
        "communication",
        "introductory",
        25,
        40,
        "Make AI-drafted replies sound like us: clear, warm and specific.",
        [
            (
                "tone-that-fits",
                "Tone that fits the moment",
                12,
                "An upset customer needs acknowledgement before information.",
                [
                    ai(
                        "A complaint reply that misses the feeling",
                        "Reply to a customer whose wedding flowers arrived wilted.",
                        "Thank you for your feedback. Please note that flowers are "
                        "perishable goods. A 10% discount code is attached.",
                        "flawed",
                        [
                            (
                                "Thank you for your feedback.",
                                "tone",
                                "It was not feedback; it was a ruined wedding day. "
                                "Acknowledge that first.",
                            ),
                            (
                                "flowers are perishable goods",
                                "tone",
                                "Sounds like blame. The fault was ours.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "What should the first sentence of that reply do?",
                                "single",
                                [
                                    (
                                        "Acknowledge what happened and how it felt",
                                        True,
                                        "Right.",
                                    ),
                                    ("Explain the refund policy", False, "Information second."),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "plain-english",
                "Plain English",
                8,
                "Short sentences, active voice, no jargon.",
                [
                    callout(
                        "tip",
                        "Quick rewrite rules",
                        '<ul><li>One idea per sentence.</li><li>Say who does what: "I have '
                        'refunded", not "a refund has been processed".</li><li>Replace '
                        'internal terms ("RMA", "T+2") with what they mean.</li></ul>',
                    ),
                    reflect("Rewrite one sentence from a recent reply in plain English."),
                ],
            ),
        ],
    ),
    (
        "context-awareness-unwritten-rules",
        "Context awareness: the rules the AI can't see",
        "context-awareness",
        "intermediate",
        25,
        40,
        "Capture policies, local practice and unwritten rules so the AI stops missing them.",
        [
            (
                "what-the-ai-cannot-know",
                "What the AI cannot know",
                10,
                "Recent policy changes, local exceptions, and how things are really done.",
                [
                    text(
                        "<p>The AI knows what it was trained on and what you give it. It "
                        "does not know that Scotland has different rules for this product, "
                        "that the Leeds office closes early on Fridays, or that we never "
                        "call a customer after 8 pm.</p>"
                    ),
                    ai(
                        "Missing a regional rule",
                        "When can the customer cancel their Scottish tenancy insurance?",
                        "Customers can cancel within 14 days for a full refund, after which "
                        "a £50 fee applies.",
                        "flawed",
                        [
                            (
                                "a £50 fee applies",
                                "context",
                                "Our Scottish policy waives the fee; the AI only knows the "
                                "England & Wales terms.",
                            ),
                        ],
                    ),
                    quiz(
                        [
                            (
                                "A good context note…",
                                "multiple",
                                [
                                    ("States the rule and where it applies", True, "Yes."),
                                    ("Links to the source policy", True, "Yes."),
                                    ("Names the customer involved", False, "Never needed."),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "writing-context-notes",
                "Writing context notes others can use",
                8,
                "Short, sourced and specific.",
                [
                    callout(
                        "tip",
                        "Template",
                        "<p><b>Rule:</b> what applies. <b>When:</b> the situations. "
                        "<b>Source:</b> policy or owner. <b>Example:</b> one real-looking "
                        "case.</p>",
                    ),
                    reflect("What is one unwritten rule in your team a new joiner gets wrong?"),
                ],
            ),
        ],
    ),
    (
        "problem-solving-breaking-down",
        "Problem-solving: breaking a task down for AI",
        "problem-solving",
        "intermediate",
        25,
        40,
        "Split complex work into steps an AI can do well, and find where its approach fails.",
        [
            (
                "decompose",
                "Decompose before you prompt",
                10,
                "A complaint investigation in four steps, not one.",
                [
                    text(
                        '<p>"Investigate this complaint and draft a response" hides four '
                        "tasks: extract the facts, check them against records, decide the "
                        "outcome under policy, then write. The AI is good at the first and "
                        "last; the middle two need you.</p>"
                    ),
                    quiz(
                        [
                            (
                                "Which step of a complaint investigation should stay with a "
                                "person?",
                                "single",
                                [
                                    ("Deciding the outcome under policy", True, "Right."),
                                    (
                                        "Listing the dates mentioned in the email",
                                        False,
                                        "Extraction is a good AI task, checked by you.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "where-it-breaks",
                "Finding where the approach breaks",
                8,
                "Test each step separately to find the weak one.",
                [
                    text(
                        "<p>When the final answer is wrong, check each step's output in "
                        "turn. Often the facts were extracted correctly and the policy step "
                        "went wrong, which tells you exactly what context to add.</p>"
                    ),
                    reflect("Which of your regular tasks would you split into steps for an AI?"),
                ],
            ),
        ],
    ),
    (
        "collaboration-peer-review",
        "Collaboration: reviewing each other's corrections",
        "collaboration",
        "introductory",
        20,
        40,
        "Give fair, specific peer reviews and build on colleagues' teaching.",
        [
            (
                "fair-reviews",
                "Fair, specific reviews",
                10,
                "Review the correction, not the person.",
                [
                    text(
                        "<p>Peer review decides which corrections become training data. A "
                        "good review says what works, what is missing and why, against the "
                        "rubric: accuracy, tone, completeness, explanation.</p>"
                    ),
                    quiz(
                        [
                            (
                                "Which review comment is most useful?",
                                "single",
                                [
                                    ("“Nice one!”", False, "Kind, but nothing to act on."),
                                    (
                                        "“Accurate and warm; it still doesn't tell the "
                                        "customer when the refund arrives.”",
                                        True,
                                        "Right: specific strength and gap.",
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "building-on-others",
                "Building on others' teaching",
                8,
                "Endorse, extend, and credit good context notes.",
                [
                    text(
                        "<p>Before writing a context note, search the Context Library: "
                        "endorse a good note instead of duplicating it, and add an example "
                        "if yours adds something new.</p>"
                    ),
                    reflect("Whose knowledge in your team should the AI learn from, and how?"),
                ],
            ),
        ],
    ),
    (
        "adaptability-changing-models",
        "Adaptability: when models, tools and policies change",
        "adaptability",
        "introductory",
        20,
        40,
        "Keep your judgement sharp as the AI, our tools and our policies change.",
        [
            (
                "new-model-new-mistakes",
                "New model, new mistakes",
                10,
                "An upgrade fixes old blind spots and can create new ones.",
                [
                    text(
                        "<p>When the AI is upgraded, re-run the test cases your team wrote. "
                        "Last version's blind spots may be fixed; new ones appear, often in "
                        "tone or in over-cautious refusals.</p>"
                    ),
                    quiz(
                        [
                            (
                                "After an AI upgrade, what should you do with old test cases?",
                                "single",
                                [
                                    ("Re-run them against the new version", True, "Right."),
                                    ("Delete them: the problems are fixed", False, "Check first."),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            (
                "when-policy-changes",
                "When a policy changes",
                8,
                "Update context notes the day a policy changes.",
                [
                    callout(
                        "warning",
                        "Stale context is worse than none",
                        "<p>An outdated context note teaches the AI the old rule with "
                        "confidence. When a policy changes, update or retire the note.</p>",
                    ),
                    reflect("Which recent change at work would an AI not know about yet?"),
                ],
            ),
        ],
    ),
]
