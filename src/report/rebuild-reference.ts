import type { RebuildItem } from './model.ts';

/**
 * What Pipedrive cannot take over its API, with a checklist for rebuilding each by hand. Pure; the counts
 * come from the extracted export so the firm sees how much each item concerns.
 */
export function assembleRebuildItems(counts: Readonly<Record<string, number>>): RebuildItem[] {
  const items: RebuildItem[] = [
    {
      topic: 'Task sequences and expected events',
      why: 'BackDocket creates tasks and calendar events from each claim type’s expected events. Pipedrive has no API for automations; Ferry migrated the tasks and events that exist, not the rules that make new ones.',
      count: counts.claimTypes ?? 0,
      steps: [
        'In Pipedrive, open Automations and create one automation per pipeline (claim type).',
        'Trigger: "Deal stage changed" (or "Deal created"); action: "Create activity" with the subject and due date of each expected event (e.g. Demand Sent, Suit Filed, SOL).',
        'Use the deal field "Statute of Limitations" for deadline reminders.',
        'Test on one deal in each pipeline before enabling.',
      ],
    },
    {
      topic: 'Intake automation',
      why: 'Intake forms and their follow-up rules live in BackDocket. Ferry migrated each submission as a lead with its answers; the forms themselves are not writable over the API.',
      count: counts.intake ?? 0,
      steps: [
        'Recreate each intake form as a Pipedrive Web Form (LeadBooster) with the same questions.',
        'Map form answers to the lead fields Ferry created (Matter Type, Date of Incident, Injuries …).',
        'Add an automation "Lead created → assign owner and create a follow-up call activity".',
      ],
    },
    {
      topic: 'Document-merge templates',
      why: 'Templates and their merge fields cannot be created over the API.',
      count: counts.documentTemplates ?? 0,
      steps: [
        'In Pipedrive Smart Docs, upload each template (retainer, letter of representation, demand letter …).',
        'Replace BackDocket merge fields ({{Client Name}}, {{Claim Number}}, {{Date of Incident}}) with the matching Pipedrive fields (person name, deal fields "Claim Number", "Date of Incident").',
        'Generate one document from a migrated deal to check the fields fill in.',
      ],
    },
    {
      topic: 'Check approvals',
      why: 'Pipedrive is not an accounting or trust system and has nothing that holds check requests and approvals. Ferry attached each claim’s ledger as a CSV file to its deal and rolled totals into deal fields.',
      count: counts.checkApprovals ?? 0,
      steps: [
        'Keep check approvals in the firm’s trust-accounting system; export the open ones before switching off BackDocket.',
        'Link the accounting record from the deal (a note or the "BackDocket ID" field) if staff need to find it.',
        'Do not approve checks from Pipedrive data alone: the ledger CSV is an archive.',
      ],
    },
    {
      topic: 'Visibility groups and permissions',
      why: 'BackDocket restricts claims per user or team; Pipedrive visibility groups exist only on Premium and Ultimate and cannot be set up over the API. Ferry created every record visible to the entire company so nobody loses sight of migrated records.',
      count: 0,
      steps: [
        'Company settings → Visibility groups: create groups mirroring BackDocket teams (Premium/Ultimate).',
        'Assign each user to a group and set the default visibility for deals, persons and organizations.',
        'Bulk-change the visibility of restricted deals (filter by "Matter Type" or owner) after the groups exist.',
      ],
    },
  ];
  return items;
}
