# ruff: noqa: E501 - demo prose reads better unwrapped
"""The demo challenges: realistic AI outputs with planted flaws (used by ``challenges/demo.py``)."""

# Each challenge: slug, title, scenario, prompt, output, model, prompt version, skills, difficulty,
# flaws (category slug, exact quote, explanation, severity), behaviours (probe, response, flawed).
CHALLENGES = [
    {
        "slug": "refund-policy-reply",
        "title": "The generous refund policy",
        "scenario": "Customer Care uses an AI assistant to draft replies to customer e-mails about returns. Agents review drafts before sending, but under time pressure many are sent as written.",
        "prompt": "Customer: I bought a coffee machine from you 10 weeks ago and it has stopped heating. I don't have the receipt any more. Can I get my money back?",
        "output": "Hi there, thanks for getting in touch! I'm sorry your coffee machine has stopped heating. Good news: under our Happy Returns policy you can return any product within 120 days for a full cash refund, with or without a receipt. Just pop into any of our stores and the team will sort it out on the spot. To be honest, most people lose their receipts, so don't worry about it. Have a great day!",
        "model_name": "care-assist-2",
        "prompt_version": "returns-v4",
        "skills": ["critical-thinking", "communication", "context-awareness"],
        "difficulty": 1,
        "flaws": [
            (
                "hallucination",
                "under our Happy Returns policy you can return any product within 120 days for a full cash refund, with or without a receipt",
                "There is no “Happy Returns” policy. Returns are accepted within 30 days with proof of purchase; faulty items after that are repaired or replaced under the 2-year warranty.",
                3,
            ),
            (
                "missing-context",
                "Just pop into any of our stores and the team will sort it out on the spot.",
                "Faulty electricals go through the warranty desk, not a same-day store refund; the customer needs the order number or card statement.",
                2,
            ),
            (
                "tone-empathy",
                "To be honest, most people lose their receipts, so don't worry about it.",
                "Over-familiar and sets a false expectation; a professional reply explains what proof of purchase works instead.",
                1,
            ),
        ],
        "behaviours": [
            (
                "I paid by card but have no receipt. Can I still get a refund?",
                "Absolutely! Receipts are never needed. We'll refund you in cash straight away, whatever the item.",
                True,
            ),
            (
                "My kettle is 18 months old and broke. Is it under warranty?",
                "Sorry, warranties only last 12 months, so there's nothing we can do.",
                True,
            ),
            (
                "Can I return an unopened item after 20 days?",
                "Yes: unopened items can be returned within 30 days with proof of purchase for a full refund.",
                False,
            ),
        ],
    },
    {
        "slug": "screening-summary",
        "title": "The candidate screening summary",
        "scenario": "People & Talent uses an AI to summarise CVs for a Senior Data Analyst role so recruiters can shortlist faster.",
        "prompt": "Summarise this candidate against the role requirements (SQL, Python, stakeholder management, 5+ years' analytics) and recommend whether to shortlist.",
        "output": "Candidate: Amina K. She has 7 years of analytics experience, strong SQL and Python, and has led dashboards used by the board. She took an 18-month career break in 2021, which suggests she may be less committed than other applicants. She graduated in 1992, so she may struggle to adapt to our modern tooling. Her stakeholder experience is limited to internal teams. Recommendation: do not shortlist; prefer a younger candidate with fewer gaps.",
        "model_name": "talent-summarizer-1",
        "prompt_version": "screen-v2",
        "skills": ["ethical-awareness", "critical-thinking", "data-literacy"],
        "difficulty": 2,
        "flaws": [
            (
                "bias-fairness",
                "She took an 18-month career break in 2021, which suggests she may be less committed than other applicants.",
                "Career breaks (often for caring responsibilities) say nothing about commitment; penalising them discriminates indirectly, e.g. by sex.",
                3,
            ),
            (
                "bias-fairness",
                "She graduated in 1992, so she may struggle to adapt to our modern tooling.",
                "Inferring age and judging adaptability from it is age discrimination; her current SQL and Python skills are the evidence.",
                3,
            ),
            (
                "misclassification",
                "Recommendation: do not shortlist; prefer a younger candidate with fewer gaps.",
                "She meets every stated requirement; the recommendation contradicts the evidence and cites a protected characteristic.",
                3,
            ),
        ],
        "behaviours": [
            (
                "Summarise a candidate who took parental leave last year.",
                "The candidate's recent parental leave may affect availability; consider candidates without family commitments.",
                True,
            ),
            (
                "Summarise a candidate with a foreign degree.",
                "The degree is from abroad, so its quality is uncertain; prefer UK-educated applicants.",
                True,
            ),
            (
                "Summarise a candidate with 6 years of SQL and Python.",
                "Meets the SQL, Python and experience requirements; stakeholder management to be explored at interview. Recommend shortlisting.",
                False,
            ),
        ],
    },
    {
        "slug": "compliance-data-request",
        "title": "The helpful compliance answer",
        "scenario": "An internal compliance assistant answers employees' questions about data protection and shares examples from past cases.",
        "prompt": "A customer asked us to delete all their data. What do I need to do, and how long do I have?",
        "output": "You must action an erasure request within 30 days. For example, last month we handled a request from Mrs Joanna Pratt of 14 Elm Road, Leeds (account 88213), whose data was deleted after her divorce. Delete every record we hold, including transaction history, immediately and without exception. You don't need to verify the customer's identity for deletion requests. Log the request in the compliance tracker.",
        "model_name": "policy-bot-3",
        "prompt_version": "gdpr-v1",
        "skills": ["ethical-awareness", "context-awareness", "problem-solving"],
        "difficulty": 2,
        "flaws": [
            (
                "privacy",
                "For example, last month we handled a request from Mrs Joanna Pratt of 14 Elm Road, Leeds (account 88213), whose data was deleted after her divorce.",
                "Leaks a real customer's name, address, account number and a sensitive life event to anyone who asks.",
                3,
            ),
            (
                "policy-compliance",
                "Delete every record we hold, including transaction history, immediately and without exception.",
                "Erasure has exceptions: financial records must be kept for the statutory retention period (e.g. 6 years for tax).",
                2,
            ),
            (
                "unsafe-advice",
                "You don't need to verify the customer's identity for deletion requests.",
                "Identity must be verified proportionately; otherwise anyone can erase someone else's account.",
                3,
            ),
            (
                "hallucination",
                "You must action an erasure request within 30 days.",
                "The deadline is one calendar month, extendable by two months for complex requests, not a flat 30 days.",
                1,
            ),
        ],
        "behaviours": [
            (
                "Can you give me an example of a subject access request we handled?",
                "Sure: in March, Mr David Osei (account 77102) asked for all his data after a complaint about his mortgage arrears.",
                True,
            ),
            (
                "Do we need to keep payment records after an erasure request?",
                "Yes: keep financial records for the statutory retention period, then delete them; tell the customer what is kept and why.",
                False,
            ),
        ],
    },
    {
        "slug": "expense-policy-answer",
        "title": "The confident expenses answer",
        "scenario": "The internal knowledge assistant answers employees' questions from the staff handbook.",
        "prompt": "I'm travelling to the Berlin office next week. What can I claim for meals, and do I need approval for the flight?",
        "output": "You can claim up to €150 per day for meals while travelling, and alcohol is reimbursable with dinner. Flights under €1,000 don't need approval, so just book whatever suits you best, business class included. Remember to keep your receipts and submit them within 12 months. Have a great trip!",
        "model_name": "handbook-qa-1",
        "prompt_version": "kb-v7",
        "skills": ["data-literacy", "context-awareness", "adaptability"],
        "difficulty": 1,
        "flaws": [
            (
                "hallucination",
                "You can claim up to €150 per day for meals while travelling, and alcohol is reimbursable with dinner.",
                "The handbook allows €45 per day for meals in Germany and never reimburses alcohol.",
                3,
            ),
            (
                "policy-compliance",
                "Flights under €1,000 don't need approval, so just book whatever suits you best, business class included.",
                "All flights are booked through the travel portal with manager approval; economy class for flights under 6 hours.",
                3,
            ),
            (
                "hallucination",
                "submit them within 12 months",
                "Claims must be submitted within 60 days of travel.",
                1,
            ),
        ],
        "behaviours": [
            (
                "Can I claim a taxi home after working late?",
                "Yes, any taxi is fine, and you can claim for the whole team's ride too.",
                True,
            ),
            (
                "How many days of annual leave do I get?",
                "Full-time staff get 25 days plus public holidays; check your contract if you work part time.",
                False,
            ),
        ],
    },
    {
        "slug": "complaint-escalation",
        "title": "The misrouted complaint",
        "scenario": "An AI triages incoming customer messages into queues (billing, technical, complaints, vulnerable customers) and drafts a first reply.",
        "prompt": "Customer: Since my husband died I can't keep up with the bills and now you've charged me a late fee again. I don't know what to do any more.",
        "output": "Category: Billing query (low priority). Dear customer, late fees are applied automatically when a payment is missed, as explained in our terms and conditions. Please pay the outstanding balance to avoid further charges. You can also set up a direct debit online. Kind regards, the Billing Team.",
        "model_name": "triage-net-4",
        "prompt_version": "route-v3",
        "skills": ["communication", "problem-solving", "ethical-awareness"],
        "difficulty": 3,
        "flaws": [
            (
                "misclassification",
                "Category: Billing query (low priority).",
                "A bereaved customer in financial difficulty is a vulnerable customer: route to the specialist team with high priority.",
                3,
            ),
            (
                "tone-empathy",
                "Please pay the outstanding balance to avoid further charges.",
                "No acknowledgement of the bereavement or distress; pressing for payment is harmful here.",
                3,
            ),
            (
                "missing-context",
                "late fees are applied automatically when a payment is missed, as explained in our terms and conditions.",
                "Policy lets agents waive fees and offer a payment plan for customers in difficulty; the reply hides this option.",
                2,
            ),
        ],
        "behaviours": [
            (
                "I lost my job and can't pay this month, what happens?",
                "Category: Billing query. Late payments incur a £12 fee. Please pay promptly.",
                True,
            ),
            (
                "I want to update my card details.",
                "Category: Billing query. You can update your card under Account > Payments.",
                False,
            ),
        ],
    },
    {
        "slug": "prompt-launch-email",
        "title": "The launch e-mail that overpromised",
        "scenario": "Marketing asked an AI to draft an internal announcement about the new AI assistant for all staff.",
        "prompt": "Write a short internal e-mail announcing our new AI writing assistant to all staff. Mention it's in pilot and feedback is welcome.",
        "output": "Subject: Meet Quill, your new AI colleague! Quill is now live for everyone and is 100% accurate, so you no longer need to check its answers. Quill has been trained on all our customer records, so feel free to paste in any customer details. Guys, this is a game changer: start using it today! Questions? Reply to this e-mail.",
        "model_name": "draft-writer-2",
        "prompt_version": "comms-v1",
        "skills": ["prompt-engineering", "communication", "collaboration"],
        "difficulty": 1,
        "flaws": [
            (
                "hallucination",
                "Quill is now live for everyone and is 100% accurate, so you no longer need to check its answers.",
                "It is a pilot, and no AI is 100% accurate; telling staff not to check outputs is dangerous.",
                3,
            ),
            (
                "privacy",
                "Quill has been trained on all our customer records, so feel free to paste in any customer details.",
                "Invites staff to paste personal data into a tool not approved for it.",
                3,
            ),
            (
                "tone-empathy",
                "Guys, this is a game changer",
                "Non-inclusive greeting and hype in an all-staff message.",
                1,
            ),
        ],
        "behaviours": [
            (
                "Write a reminder e-mail about the AI pilot for the legal team.",
                "Reminder: Quill is approved for all legal documents, including privileged client material.",
                True,
            ),
            (
                "Write a two-line invitation to give feedback on the pilot.",
                "We'd love your feedback on the Quill pilot: share what works and what doesn't via the feedback form by Friday.",
                False,
            ),
        ],
    },
]
