export {
  BackupsContent,
  ComplianceContent,
  IncidentsContent,
  ReleasesContent,
} from './EntityTabs';
