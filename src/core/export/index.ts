export { CSV_BOM, csvCell, csvRow, defuseFormula, CsvColumns, CsvWidener } from './csv';
export {
  ExportWriter, ExportError, writeFileAtomically, ExportCancelledError, EXPORT_FORMATS, formatOfPath, nodeFileSystem,
} from './writer';
export type { ExportFormat, ExportFileHandle, ExportFileSystem, ExportSummary, ExportWriterOptions } from './writer';
export { runExport, EXPORT_PAGE_SIZE } from './runExport';
export type { ExportProgress, PageSource, RunExportOptions } from './runExport';
export { csvLines, toCsv, writeCsvFile } from './csvFile';
